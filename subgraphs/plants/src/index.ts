import { runUntilSignalled } from '@supergraph/kit';
import { start } from './server';

runUntilSignalled('plants', () => start());
