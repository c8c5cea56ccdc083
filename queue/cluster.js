'use strict';
// An n8n queue-mode cluster on 127.0.0.1: one main (`n8n start`: triggers, webhooks, the
// editor) and `n8n worker` processes, all sharing one user folder, one encryption key, one
// database and one Redis. Each process gets its own task-runner broker port, each worker
// its own health port, and each its own log file, which is how we tell which process ran
// an execution: the worker that takes a job logs "Worker started execution <id> (job <n>)"
// and "Worker finished execution <id> (job <n>)" (n8n's JobProcessor, at level info), the
// main logs "Enqueued execution <id> (job <n>)" (ScalingService.addJob). Nothing else in
// n8n 2.41 records the worker: the execution row has no host column.
const path = require('node:path');
const {
	FINAL_STATUSES,
	freePort,
	logEntries,
	startN8n,
	storedExecutions,
	waitForStoredExecutions,
} = require('../lab/n8n');

/** Wraps an e2e user folder so that every command (CLI and servers) runs in queue mode. */
function queueFolder(folder, { redisPort, dbEnv = {} }) {
	const queueEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// Keep every finished execution with its data: the suite reads them back.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_LOG_LEVEL: 'info',
		// One JSON object a line, with a timestamp and the metadata (executionId, jobId,
		// workerId) that the text format leaves out.
		N8N_LOG_FORMAT: 'json',
		...dbEnv,
	};
	return { ...folder, env: (extra = {}) => folder.env({ ...queueEnv, ...extra }) };
}

/** `env`: settings for this process only (queue/run.js gives each its own database port). */
async function startMain(folder, { env = {} } = {}) {
	const main = await startN8n(folder, { args: ['start'], timeoutMs: 3 * 60000, env });
	return { ...main, role: 'main', name: 'main' };
}

async function startWorker(folder, name, { concurrency = 10, env = {} } = {}) {
	const port = await freePort();
	const worker = await startN8n(folder, {
		args: ['worker', `--concurrency=${concurrency}`],
		port,
		timeoutMs: 3 * 60000,
		env: {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...env,
		},
	});
	return { ...worker, role: 'worker', name };
}

/**
 * What each process's log says about executions: { started, finished, enqueued } as
 * Map<executionId, count>, and for the main `reportedBy`: Map<executionId, worker hostId>
 * taken from the "job-finished" message the worker sent through Redis.
 */
function executionsByProcess(processes) {
	const seen = {};
	for (const proc of processes) {
		const record = {
			started: new Map(),
			finished: new Map(),
			enqueued: new Map(),
			reportedBy: new Map(),
		};
		const bump = (map, id) => map.set(String(id), (map.get(String(id)) || 0) + 1);
		for (const entry of logEntries(proc.logFile)) {
			const message = String(entry.message || '');
			const meta = entry.metadata || {};
			let m;
			if ((m = /^Worker started execution (\d+) \(job/.exec(message))) bump(record.started, m[1]);
			else if ((m = /^Worker finished execution (\d+) \(job/.exec(message)))
				bump(record.finished, m[1]);
			else if ((m = /^Enqueued execution (\d+) \(job/.exec(message))) bump(record.enqueued, m[1]);
			else if ((m = /^Execution (\d+) \(job \S+\) finished/.exec(message)) && meta.workerId) {
				record.reportedBy.set(m[1], meta.workerId);
			}
		}
		seen[proc.name] = record;
	}
	return seen;
}

/** The processes whose log says they started `executionId`. */
function runnersOf(seen, executionId) {
	return Object.entries(seen)
		.filter(([, s]) => s.started.has(String(executionId)))
		.flatMap(([name, s]) => Array(s.started.get(String(executionId))).fill(name));
}

/** Reads what the suite needs out of one stored execution. */
function summarize(row, flatted) {
	let data = null;
	try {
		data = row.data ? flatted.parse(row.data) : null;
	} catch {
		data = null;
	}
	const runData = data?.resultData?.runData ?? {};
	const lastOutput = (node) => {
		const runs = runData[node];
		if (!runs || runs.length === 0) return null;
		return runs[runs.length - 1]?.data?.main?.[0]?.map((i) => i.json) ?? [];
	};
	const webhook =
		lastOutput('Webhook')?.[0] ??
		data?.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0]?.json;
	const body = webhook?.body ?? {};
	const tags = Array.isArray(body.items)
		? body.items.map((i) => i.customer)
		: [body.customer].filter(Boolean);
	const error = data?.resultData?.error ?? null;
	return {
		id: String(row.id),
		workflowId: row.workflowId,
		mode: row.mode,
		status: row.status,
		retryOf: row.retryOf ? String(row.retryOf) : null,
		retrySuccessId: row.retrySuccessId ? String(row.retrySuccessId) : null,
		startedAt: row.startedAt,
		stoppedAt: row.stoppedAt,
		tags,
		orders: (lastOutput('Order Proxies') ?? []).filter((j) => j.order_id),
		notified: (lastOutput('Notify Mattermost') ?? []).length,
		orderRuns: runData['Order Proxies']?.length ?? 0,
		lastNodeExecuted: data?.resultData?.lastNodeExecuted ?? null,
		error: error
			? { message: error.message, description: error.description, name: error.name }
			: null,
	};
}

/**
 * Waits for the stored executions of `workflowId` newer than `afterId` until `expected` of
 * them have ended, or the timeout passes. Resolves `{ done, executions }` (summaries).
 */
async function waitForExecutions(ctx, { workflowId, afterId, expected, timeoutMs, onPoll }) {
	const { done, rows } = await waitForStoredExecutions(ctx.folder, {
		postgres: ctx.postgres,
		filter: (r) => r.workflowId === workflowId && Number(r.id) > Number(afterId),
		expected,
		timeoutMs,
		onPoll,
	});
	return { done, executions: rows.map((r) => summarize(r, ctx.flatted)) };
}

/** Every stored execution, summarized. */
async function allExecutions(ctx) {
	const rows = await storedExecutions(ctx.folder, { postgres: ctx.postgres });
	return rows.map((r) => summarize(r, ctx.flatted));
}

async function lastExecutionId(ctx) {
	const rows = await storedExecutions(ctx.folder, { postgres: ctx.postgres });
	return rows.reduce((max, r) => Math.max(max, Number(r.id)), 0);
}

function loadFlatted(n8n) {
	return require(path.join(n8n.dir, 'node_modules', 'flatted'));
}

module.exports = {
	FINAL_STATUSES,
	queueFolder,
	startMain,
	startWorker,
	executionsByProcess,
	runnersOf,
	summarize,
	waitForExecutions,
	allExecutions,
	lastExecutionId,
	loadFlatted,
};
