'use strict';
// The executions n8n stored, read straight from its database (n8n 2.41 has no
// `export:execution`, and `export:entities` writes an encrypted zip), and the one poller that
// waits for executions to end.
const path = require('node:path');
const { runOrThrow } = require('../processes');

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Every stored execution: rows of `{ id, workflowId, mode, status, finished, retryOf,
 * retrySuccessId, startedAt, stoppedAt, workflowData?, data }`, `data` as n8n stored it
 * (flatted text). SQLite is read with n8n's own sqlite3 build, under n8n's Node; PostgreSQL
 * through `postgres.psql` (see queue/services.js).
 */
async function storedExecutions(folder, { postgres } = {}) {
	if (postgres) {
		const out = await postgres.psql(
			`SELECT coalesce(json_agg(t ORDER BY t.id), '[]') FROM (
			   SELECT e.id, e."workflowId", e.mode, e.status, e.finished, e."retryOf",
			          e."retrySuccessId", e."startedAt", e."stoppedAt", d.data
			     FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id) t`,
		);
		return JSON.parse(out);
	}
	const { n8n } = folder;
	const { stdout } = await runOrThrow(
		n8n.nodeBin,
		[
			path.join(__dirname, 'dump-executions.js'),
			path.join(n8n.dir, 'node_modules', 'sqlite3'),
			path.join(folder.path, '.n8n', 'database.sqlite'),
		],
		{ env: folder.env() },
	);
	return JSON.parse(stdout);
}

/**
 * An execution's `data` as n8n stores it (flatted text: the database column, and `data` of
 * GET /rest/executions/:id), parsed with n8n's own copy of flatted.
 */
function parseExecutionData(n8n, text) {
	if (typeof text !== 'string') return text;
	const flatted = require(path.join(n8n.dir, 'node_modules', 'flatted'));
	return flatted.parse(text);
}

/** Calls `probe` every `intervalMs` until it returns `{ done: true, ... }` or time runs out. */
async function poll(probe, { timeoutMs, intervalMs = 1000, what = 'executions' }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const state = await probe();
		if (state.done) return state;
		if (Date.now() > deadline) {
			if (state.lenient) return state;
			throw new Error(`${what} not done after ${timeoutMs} ms: ${JSON.stringify(state.summary)}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/**
 * Waits until `expected` stored executions match `filter` and all have ended, or the time
 * runs out; resolves `{ done, rows }` either way (callers assert on `done`).
 */
function waitForStoredExecutions(folder, { filter, expected, timeoutMs, onPoll, postgres }) {
	return poll(
		async () => {
			const rows = (await storedExecutions(folder, { postgres })).filter(filter);
			if (onPoll) onPoll(rows);
			const done = rows.length >= expected && rows.every((r) => FINAL_STATUSES.has(r.status));
			return { done, rows, lenient: true };
		},
		{ timeoutMs },
	);
}

module.exports = {
	FINAL_STATUSES,
	storedExecutions,
	parseExecutionData,
	poll,
	waitForStoredExecutions,
};
