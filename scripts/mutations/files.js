'use strict';
// Where the guards live, and the test files of the mutation check.
const EXECUTE = 'nodes/OrderProxies/execute.ts';
const MEMORY = 'nodes/OrderProxies/executionMemory.ts';
const TRANSPORT = 'nodes/OrderProxies/transport.ts';
const SCHEMA = 'nodes/OrderProxies/order.schema.ts';
const KEYS = 'nodes/OrderProxies/orderKey.ts';
const MESSAGES = 'nodes/OrderProxies/messages.ts';
const NODE_ERRORS = 'nodes/OrderProxies/nodeErrors.ts';
const CREDENTIAL = 'credentials/StatProxiesApi.credentials.ts';
const t = (...names) => names.map((name) => `test/${name}.test.ts`);

module.exports = { EXECUTE, MEMORY, TRANSPORT, SCHEMA, KEYS, MESSAGES, CREDENTIAL, NODE_ERRORS, t };
