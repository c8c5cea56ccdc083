'use strict';
// Runs last: every execution of the suite is stored by now, failed ones included. No API
// key may appear in any of them, nor anywhere else in n8n's folder (database, WAL, files).
// Beside test/secrets.test.ts (outputs, errors and messages): only a real n8n shows what it
// persists of an execution and where.
const n8n = require('../../lab/n8n');
const { assert } = require('../lib/expect');

module.exports = function storedExecutions(t, ctx) {
	t.test('no API key in any stored execution, nor anywhere in the n8n folder', async () => {
		await ctx.stopServer();
		const rows = await n8n.storedExecutions(ctx.folder);
		assert.ok(
			rows.length >= ctx.executionCount,
			`${rows.length} stored executions, ${ctx.executionCount} run`,
		);
		assert.ok(
			rows.some((r) => r.status === 'error') && rows.some((r) => r.status === 'success'),
			'both failed and successful executions are stored',
		);
		// Proves the search can see execution data at all: sold order ids are in there.
		const text = rows.map((r) => `${r.workflowData}\n${r.data}`).join('\n');
		assert.ok(ctx.soldOrderIds.length > 0 && ctx.soldOrderIds.every((id) => text.includes(id)));

		for (const key of ctx.secrets) {
			const leaks = rows
				.filter((r) => `${r.workflowData}\n${r.data}`.includes(key))
				.map((r) => r.id);
			assert.deepEqual(leaks, [], `key ${key.slice(0, 8)}... found in executions`);
			assert.deepEqual(
				n8n.filesContaining(ctx.folder, key),
				[],
				`key ${key.slice(0, 8)}... found in files`,
			);
		}
	});
};
