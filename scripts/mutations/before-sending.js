'use strict';
// Part of the mutation check's table (scripts/mutations.js runs it): each entry removes or
// weakens one guard the package promises; the tests listed must then fail.
// Decided before anything is sent: the rules, the plan, the budget, Retry On Fail's memory.
const { RUN, PLAN, ITEMS, SCHEMA, t } = require('./files');

module.exports = [
	// --- Decided before anything is sent ---
	{
		guard: 'validate-all-before-sending (pre-send stop)',
		file: RUN,
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
		guard: 'Max ... Per Execution check',
		file: PLAN,
		find: 'if (scope.spent() + item.cost > item.budget) {',
		replace: 'if (false) {',
		tests: t('execution-budget', 'exchange'),
	},
	{
		guard: 'budget: reserve before sending (moved to after the answer)',
		edits: [
			{ file: PLAN, find: '\t\tscope.reserve(item.cost);\n', replace: '' },
			{
				file: RUN,
				find: '\t\tmemory.remember(run, itemIndex, asked, outcome);\n',
				replace:
					'\t\tmemory.remember(run, itemIndex, asked, outcome);\n\t\tscope.reserve(item.cost);\n',
			},
		],
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: release when refused / not sent',
		file: RUN,
		find: '// Nothing happened: the budget and the key are free for a corrected request.\n\t\tscope.release(item.cost);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: items never sent give their reservation back (finally)',
		file: RUN,
		find: 'for (const cost of reserved.values()) scope.release(cost);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: a refused key claim gives its reservation back',
		file: RUN,
		find: "if (claim && 'kind' in claim) {\n\t\t\tscope.release(item.cost);",
		replace: "if (claim && 'kind' in claim) {",
		tests: t('order-key', 'guards'),
	},
	// --- Retry On Fail memory ---
	{
		guard: 'Retry On Fail replay (recall -> replay)',
		file: PLAN,
		find: 'if (items.recall(run, itemIndex)) {',
		replace: 'if (false) {',
		tests: t('retry-memory', 'retry'),
	},
	{
		guard: 'item memory keyed by execution id',
		file: ITEMS,
		find: 'const executionId = ctx.getExecutionId();',
		replace: "const executionId = 'one-for-all';",
		tests: t('retry-memory', 'order'),
	},
	{
		guard: 'memory keyed by run index',
		file: RUN,
		find: 'const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;',
		replace: 'const runIndex = 0;',
		tests: t('execution-budget', 'retry-memory', 'guards'),
	},
	{
		guard: 'item memory keyed by node name',
		file: RUN,
		find: 'const memory = itemMemory(this, node.name);',
		replace: "const memory = itemMemory(this, 'any node');",
		tests: t('guards', 'execution-scope'),
	},
	{
		guard: 'forget a clean run',
		file: RUN,
		find: 'if (!failed) memory.forgetRun(run);',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'unknown not re-sent (remember keeps unknown)',
		file: ITEMS,
		find: "if (outcome.kind !== 'done' && outcome.kind !== 'unknown') return;",
		replace: "if (outcome.kind !== 'done') return;",
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'replay of an unknown item fails it (not replayed as done)',
		file: RUN,
		find: "if (earlier.outcome.kind !== 'done') {",
		replace: 'if (false) {',
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'parametersChanged note',
		file: RUN,
		find: 'if (JSON.stringify(asked) !== earlier.asked) {',
		replace: 'if (false) {',
		tests: t('retry-memory', 'guards'),
	},
	{
		guard: 'replay whatever the item asks for now (invalid, a dry run)',
		file: PLAN,
		find: 'if (items.recall(run, itemIndex)) {',
		replace: "if (plan.kind === 'send' && items.recall(run, itemIndex)) {",
		tests: t('retry-memory'),
	},
	{
		guard: "a tool call's memory is its own (toolCallId)",
		file: RUN,
		find: "typeof toolCallId === 'string' ? `${runIndex}/${toolCallId}` : String(runIndex)",
		replace: 'String(runIndex)',
		tests: t('retry-memory'),
	},
	{
		guard: 'item memory dropped at the execution end (onExecutionFinish)',
		file: ITEMS,
		find: "if (onEnd(ctx, `items:${executionId}`, () => drop(executionId))) found.ends = true;",
		replace: '',
		tests: t('retry-memory'),
	},
];
