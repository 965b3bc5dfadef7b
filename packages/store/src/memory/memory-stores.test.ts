import { runStoreContract } from '../contract/run-store-contract.ts';
import { MemoryStores } from './memory-stores.ts';

runStoreContract('memory', async (options) => new MemoryStores(options));
