'use strict';
// Part of the mutation check's table (scripts/mutations.js runs it): each entry removes or
// weakens one guard the package promises; the tests listed must then fail.
// Decided before anything is sent, and what Retry On Fail remembers.
const { EXECUTE, MEMORY, TRANSPORT, SCHEMA, t } = require('./files');

module.exports = [
	// --- Decided before anything is sent ---
	{
		guard: 'validate-all-before-sending (pre-send stop)',
		file: EXECUTE,
		find: 'if (first !== -1) throw stopped(plans[first] as Refusal, first);',
		replace: '',
		tests: t('validation', 'guards'),
	},
	{
		guard: 'Max Quantity cap',
		file: SCHEMA,
		find: 'if (input.quantity > input.maxQuantity) {',
		replace: 'if (false) {',
		tests: t('validation'),
	},
	{
		guard: 'Max Proxies Per Execution check',
		file: EXECUTE,
		find: 'if (memory.spent() + quantity > budget) {',
		replace: 'if (false) {',
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: reserve before sending (moved to after the answer)',
		file: EXECUTE,
		find: [
			'\t\tmemory.reserve(quantity);\n',
			'const outcome = await placeOrder(this, order, baseUrl, credential);\n',
		],
		replace: [
			'',
			'const outcome = await placeOrder(this, order, baseUrl, credential);\n\t\tmemory.reserve(order.body.quantity);\n',
		],
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: release when refused / not sent',
		file: EXECUTE,
		find: '// Nothing was bought: the budget and the key are free for a corrected order.\n\t\t\tmemory.release(order.body.quantity);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: unknown outcome keeps its share',
		file: EXECUTE,
		find: "\t\tif (outcome.kind !== 'unknown') {\n\t\t\t// Nothing was bought",
		replace:
			"\t\tmemory.release(order.body.quantity);\n\t\tif (outcome.kind !== 'unknown') {\n\t\t\t// Nothing was bought",
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: items never sent give their reservation back (finally)',
		file: EXECUTE,
		find: 'for (const quantity of reserved.values()) memory.release(quantity);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: a refused order-key claim gives its reservation back',
		file: EXECUTE,
		find: "\t\t\t\tmemory.release(order.body.quantity);\n\t\t\t\treturn { kind: 'failed', failure: claim };",
		replace: "\t\t\t\treturn { kind: 'failed', failure: claim };",
		tests: t('order-key', 'guards'),
	},
	// --- Retry On Fail memory ---
	{
		guard: 'Retry On Fail replay (recall -> replay)',
		file: EXECUTE,
		find: 'if (memory.recall(run, itemIndex)) {',
		replace: 'if (false) {',
		tests: t('retry-memory', 'retry'),
	},
	{
		guard: 'memory keyed by execution id',
		file: MEMORY,
		find: 'const executionId = ctx.getExecutionId();',
		replace: "const executionId = 'one-for-all';",
		tests: t('retry-memory', 'order'),
	},
	{
		guard: 'memory keyed by run index',
		file: EXECUTE,
		find: 'const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;',
		replace: 'const runIndex = 0;',
		tests: t('execution-budget', 'retry-memory', 'guards'),
	},
	{
		guard: 'memory keyed by node name',
		file: EXECUTE,
		find: 'const memory = nodeMemory(this, node.name);',
		replace: "const memory = nodeMemory(this, 'any node');",
		tests: t('guards'),
	},
	{
		guard: 'memory refreshed on use (usedAt)',
		file: MEMORY,
		find: '\t\tfound.usedAt = now;\n',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'forget a clean run',
		file: EXECUTE,
		find: 'if (!failed) memory.forgetRun(run);',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'unknown not re-sent (remember keeps unknown)',
		file: MEMORY,
		find: "if (outcome.kind !== 'placed' && outcome.kind !== 'unknown') return;",
		replace: "if (outcome.kind !== 'placed') return;",
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'replay of an unknown item fails it (not replayed as placed)',
		file: EXECUTE,
		find: "if (earlier.outcome.kind !== 'placed') {",
		replace: 'if (false) {',
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'parametersChanged note',
		file: EXECUTE,
		find: 'if (JSON.stringify(asked) !== earlier.order) json.note = guard.parametersChanged(was, asked);',
		replace: '',
		tests: t('retry-memory', 'guards'),
	},
	{
		guard: 'replay whatever the item asks for now (invalid, a dry run)',
		file: EXECUTE,
		find: 'if (memory.recall(run, itemIndex)) {',
		replace: "if (plan.kind === 'send' && memory.recall(run, itemIndex)) {",
		tests: t('retry-memory'),
	},
	{
		guard: 'an echoed key is hidden before the excerpt cuts it',
		file: TRANSPORT,
		find: "? response.body.split(key).join('***')",
		replace: '? response.body',
		tests: t('secrets', 'guards'),
	},
	{
		guard: "a tool call's memory is its own (toolCallId)",
		file: EXECUTE,
		find: "typeof toolCallId === 'string' ? `${runIndex}/${toolCallId}` : String(runIndex)",
		replace: 'String(runIndex)',
		tests: t('retry-memory'),
	},
	{
		guard: 'onExecutionFinish drop',
		file: MEMORY,
		find: 'ctx.onExecutionFinish?.(() => drop(executionId));',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'no identical order after unknown in another run',
		file: EXECUTE,
		find: 'if (memory.unknownElsewhere(JSON.stringify(order.body), run)) {',
		replace: 'if (false) {',
		tests: t('execution-budget'),
	},
];
