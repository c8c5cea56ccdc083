'use strict';
// Part of the mutation check's table: what belongs to Exchange Proxies alone (its guards shared
// with Order Proxies are mutated once, in the shared core, and tested through both nodes).
const { EXCHANGE, EXCHANGE_SCHEMA, RULES, t } = require('./files');

module.exports = [
	{
		guard: 'exchange: only an order id (sub_ and [a-z0-9]) reaches the URL path',
		file: EXCHANGE_SCHEMA,
		find: ".regex(ORDER_ID, { message: 'orderIdShape' }),",
		replace: '',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: the order id pattern is anchored',
		file: RULES,
		find: 'export const ORDER_ID = /^sub_[a-z0-9]{1,64}$/;',
		replace: 'export const ORDER_ID = /^sub_[a-z0-9]{1,64}/;',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: Max Exchanges Per Execution defaults to 10, never "no limit"',
		file: EXCHANGE_SCHEMA,
		find: 'export const DEFAULT_MAX_EXCHANGES_PER_EXECUTION = 10;',
		replace: 'export const DEFAULT_MAX_EXCHANGES_PER_EXECUTION = Number.MAX_SAFE_INTEGER;',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: each exchange costs one of the budget',
		file: EXCHANGE,
		find: 'cost: 1,',
		replace: 'cost: 0,',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: a 200 counts as done only with response success and details',
		file: EXCHANGE,
		find: "if (body?.response !== 'success' || !details || typeof details !== 'object') return;",
		replace: "if (!details || typeof details !== 'object') return;",
		tests: t('exchange', 'guards'),
	},
	{
		guard: 'exchange: a success about another order confirms nothing',
		file: EXCHANGE,
		find: "if (typeof orderId !== 'string' || orderId !== ask.order_id) return;",
		replace: "if (typeof orderId !== 'string') return;",
		tests: t('exchange', 'reviewer-findings'),
	},
	{
		guard: 'exchange: a partial exchange is said in the item',
		file: EXCHANGE,
		find: 'if (typeof got === \'number\' && typeof wanted === \'number\' && got < wanted) {',
		replace: 'if (false) {',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: overlapping IPs are said in the item',
		file: EXCHANGE,
		find: "if (typeof kept === 'number' && kept > 0) warnings.push(`${kept} IPs are the same as before`);",
		replace: '',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: an unknown order (404) is refused (nothing changed)',
		file: EXCHANGE,
		find: 'if (status === 404) {',
		replace: 'if (false) {',
		tests: t('exchange'),
	},
	{
		guard: 'exchange: an unknown outcome says the old IPs may be gone',
		file: EXCHANGE,
		find: "'the proxies may have been exchanged (the old IPs may already be gone); check the StatProxies dashboard before exchanging again',",
		replace: "'check the StatProxies dashboard',",
		tests: t('exchange'),
	},
];
