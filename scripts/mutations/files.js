'use strict';
// Where the guards live, and the test files of the mutation check.
const RUN = 'nodes/shared/run.ts';
const PLAN = 'nodes/shared/plan.ts';
const ITEMS = 'nodes/shared/itemMemory.ts';
const SCOPE = 'nodes/shared/executionScope.ts';
const END = 'nodes/shared/executionEnd.ts';
const JOURNAL = 'nodes/shared/journal.ts';
const TRANSPORT = 'nodes/shared/transport.ts';
const OUTCOMES = 'nodes/shared/outcomes.ts';
const KEYS = 'nodes/shared/keyClaim.ts';
const KEY_STORE = 'nodes/shared/keyStore.ts';
const NODE_ERRORS = 'nodes/shared/nodeErrors.ts';
const BASE_URL = 'nodes/shared/baseUrl.ts';
const RULES = 'nodes/shared/rules.ts';
const SCHEMA = 'nodes/OrderProxies/order.schema.ts';
const ORDER = 'nodes/OrderProxies/order.ts';
const EXCHANGE = 'nodes/ExchangeProxies/exchange.ts';
const EXCHANGE_SCHEMA = 'nodes/ExchangeProxies/exchange.schema.ts';
const CREDENTIAL = 'credentials/StatProxiesApi.credentials.ts';
const t = (...names) => names.map((name) => `test/${name}.test.ts`);

module.exports = {
	RUN,
	PLAN,
	ITEMS,
	SCOPE,
	END,
	JOURNAL,
	TRANSPORT,
	OUTCOMES,
	KEYS,
	KEY_STORE,
	NODE_ERRORS,
	BASE_URL,
	RULES,
	SCHEMA,
	ORDER,
	EXCHANGE,
	EXCHANGE_SCHEMA,
	CREDENTIAL,
	t,
};
