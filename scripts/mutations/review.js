'use strict';
// Part of the mutation check's table: what a reviewer broke (test/reviewer-findings.test.ts).
const { RUN, PLAN, RULES, NODE_ERRORS, t } = require('./files');

module.exports = [
	{
		guard: 'a key expression that gives nothing refuses the item (not ordered without a key)',
		file: 'nodes/shared/action.ts',
		find: "return typeof raw === 'string' && raw.startsWith('=') && absent(value)",
		replace: "return typeof raw === 'string' && raw.startsWith('=') && false && absent(value)",
		tests: t('reviewer-findings'),
	},
	{
		guard: 'as a tool, an identical call already on its way is waited for',
		file: PLAN,
		find: 'if (flight && asTool && !item.repeat) {',
		replace: 'if (false) {',
		tests: t('reviewer-findings', 'agents-and-stop'),
	},
	{
		guard: 'a value in a message is hidden before it is cut (no part of the key)',
		edits: [
			{
				file: RULES,
				find: 'const text = hide(JSON.stringify(value) ?? String(value))',
				replace: 'const text = (JSON.stringify(value) ?? String(value))',
			},
			{
				file: RULES,
				find: 'return text.length > 80 ? `${text.slice(0, 80)}...` : text;',
				replace: 'return hide(text.length > 80 ? `${text.slice(0, 80)}...` : text);',
			},
		],
		tests: t('reviewer-findings'),
	},
	{
		guard: 'a run-wide refusal tells the model that nothing was bought',
		file: RUN,
		find: "? `${problem.replace(/[.!?]?$/, '.')} ${forTheModel.invalid}`",
		replace: '? problem',
		tests: t('reviewer-findings', 'agents-and-stop'),
	},
	{
		guard: "a sub-workflow run again after it failed never redoes the failed run's items",
		file: PLAN,
		find: 'const before = scope.failedBefore(itemIndex, ask);',
		replace: 'const before = scope.failedBefore(-1, ask);',
		tests: t('reviewer-findings', 'execution-scope'),
	},
	{
		guard: 'an echoed key is hidden base64-encoded and with lowercase percent-escapes',
		edits: [
			{ file: NODE_ERRORS, find: '\t\t\tbase64(`Bearer ${key}`),\n', replace: '' },
			{ file: NODE_ERRORS, find: '\t\t\tbase64(key),\n', replace: '' },
			{
				file: NODE_ERRORS,
				find: "\t\t\turl.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),\n",
				replace: '',
			},
		],
		tests: t('reviewer-findings'),
	},
];
