/** The in-memory store passes the IncidentStore contract, so the use-case tests run on a store that behaves. */
import { MemoryStore } from '../../src/adapters/memory/memory-store.js';
import { describeIncidentStore } from './incident-store.contract.js';

describeIncidentStore('in memory', () => new MemoryStore());
