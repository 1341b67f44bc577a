import { InProcessBus } from '../../src/events';
import { CONTRACT_MAX_DELIVERIES, runBusContract } from './support/bus.contract';
import { RecordingLogger } from './support/test.logger';

runBusContract('InProcessBus', async () => ({
  bus: new InProcessBus({
    maxDeliveries: CONTRACT_MAX_DELIVERIES,
    retryBaseMs: 5,
    retryMaxMs: 20,
    logger: new RecordingLogger(),
  }),
  teardown: async () => undefined,
}));
