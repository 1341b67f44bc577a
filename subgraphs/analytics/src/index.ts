import { runUntilSignalled } from '@supergraph/kit';
import { start } from './server';

runUntilSignalled('analytics', () => start());
