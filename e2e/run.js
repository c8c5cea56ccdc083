#!/usr/bin/env node
'use strict';
// `npm run test:e2e`: the package as users get it, in a real n8n. Builds and packs the
// package, installs it into a fresh n8n user folder the way n8n's installer does, runs the
// cases against the sandbox, and ends with the line "N passed, N failed".
//   --n8n VERSION   another pinned n8n (lab/n8n/versions/): 2.41.1 (default), 1.123.81, or
//                   1.85.4 (the oldest the README claims; not run by CI)
//   --no-build      pack the dist/ that is there
//   --grep TEXT     run only the cases whose title contains TEXT
//   --keep          keep the n8n user folder (its path is printed)
//
// A case file (e2e/cases/<promise>.js) is `module.exports = function (t, ctx) { ... }`: it
// declares its workflows and credentials with ctx.workflow(def) / ctx.credential(def) when
// loaded (they are imported before any case runs), and its cases with t.test(name, fn).
const { startSandbox } = require('../sandbox');
const n8nLib = require('../lab/n8n');
const { startMattermostListener } = require('../lab/mattermost');
const { OWNER, buildAndPack, prepareLocalInstance } = require('../lab/instance');
const { createRunner, finish, seconds } = require('../lab/runner');
const { stopAll } = require('../lab/processes');
const { recordRun } = require('./record');

const CASES = [
	'orders',
	'refusals',
	'error-output',
	'retry',
	'ai-agent',
	'agent-retry',
	'examples',
	'credential-test',
	'ai-agent-chat',
	// These stop the suite's n8n start before their CLI runs, and start their own (restarts).
	'retry-changed-parameters',
	'redirects',
	'order-key',
	'retry-button-subworkflow',
	'exchange-refusals',
	'exchange',
	'subworkflow-budget',
	'agent-workflow-tool',
	'stop-button',
	'stored-executions',
];

/**
 * Cases skipped on an n8n major version: { name (part of a title, or a RegExp), reason },
 * printed when skipped: only cases that cannot apply there.
 */
const SKIP = {
	1: [
		{
			name: /^agent: /,
			reason:
				"cannot apply: these cases use n8n 2.x's AI Agent 3.1, OpenAI Chat Model 1.3 and chat endpoints; the tool's guards are proven by the jest suite",
		},
		{
			name: 'Retry button on a parent whose sub-workflow ordered',
			reason:
				'cannot apply: n8n 1.x gives a sub-workflow no root execution mode (n8n 2.12 added it), so the node cannot see that its parent was retried (a limit the README states)',
		},
	],
	2: [],
};

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const log = (line) => console.log(line);

async function main() {
	const started = Date.now();
	const n8n = await n8nLib.ensureN8n({ version: option('--n8n') || undefined, log });
	log(`n8n ${n8n.version} ready (${seconds(started)})`);
	const tarball = await buildAndPack({ build: !flag('--no-build'), log });
	log(`Packed ${tarball}`);

	const sandbox = await startSandbox();
	const mattermost = await startMattermostListener();
	const ctx = createContext({ n8n, sandbox, mattermost });
	const t = createRunner({ log, grep: option('--grep'), skip: SKIP[n8n.major] || [] });
	// A case module may set up asynchronously (a server whose port a credential needs).
	for (const name of CASES) await require(`./cases/${name}`)(t, ctx);

	const setupStarted = Date.now();
	const instance = await prepareLocalInstance({
		n8n,
		tarball,
		sandbox,
		mattermost,
		extraCredentials: ctx.credentials,
	});
	Object.assign(ctx, instance);
	await n8nLib.importWorkflows(ctx.folder, ctx.workflows);
	log(`User folder ${ctx.folder.path} ready (${seconds(setupStarted)}); running ${t.size} cases:`);

	try {
		const result = await t.run({
			beforeEach: () => {
				sandbox.reset();
				mattermost.reset();
			},
		});
		// Only a run of every case is a figure the docs may quote.
		if (!option('--grep')) {
			const file = recordRun({ version: n8n.version, result, seconds: (Date.now() - started) / 1000 });
			log(`Wrote the counts into ${file}`);
		}
		return result;
	} finally {
		await ctx.stopServer();
		await sandbox.close();
		await mattermost.close();
		if (flag('--keep')) log(`Kept ${ctx.folder.path}`);
		else n8nLib.removeUserFolder(ctx.folder);
		log(`e2e on n8n ${n8n.version} finished in ${seconds(started)}`);
	}
}

function createContext({ n8n, sandbox, mattermost }) {
	let server = null;
	const ctx = {
		n8n,
		sandbox,
		mattermost,
		workflows: [],
		credentials: [],
		executionCount: 0,
		soldOrderIds: [],
		secrets: new Set([sandbox.keys.full, sandbox.keys.noOrder]),
		workflow(definition) {
			ctx.workflows.push(definition);
			return definition.id;
		},
		credential(definition) {
			ctx.credentials.push(definition);
			if (definition.data.apiKey) ctx.secrets.add(definition.data.apiKey);
			return { id: definition.id, name: definition.name };
		},
		async execute(workflowId) {
			if (server)
				throw new Error('n8n execute while n8n start holds the database: run CLI cases first');
			ctx.executionCount++;
			const result = await n8nLib.execute(ctx.folder, workflowId);
			for (const match of result.output.matchAll(/"order_id": "(sub_[a-z0-9]+)"/g)) {
				ctx.soldOrderIds.push(match[1]);
			}
			return result;
		},
		/** The `n8n start` of this user folder, started on first use, with a logged-in session. */
		async server() {
			if (!server) {
				const started = Date.now();
				const n8nStart = await n8nLib.startN8n(ctx.folder);
				// A later n8n start of the same folder finds its owner set up already: log in.
				const rest = await n8nLib
					.setupOwnerAndLogin(n8nStart.url, OWNER)
					.catch((error) =>
						/already setup/.test(error.message)
							? n8nLib.login(n8nStart.url, OWNER)
							: Promise.reject(error),
					);
				server = { ...n8nStart, rest };
				log(`       (n8n start ready at ${n8nStart.url} in ${seconds(started)})`);
			}
			return server;
		},
		async stopServer() {
			if (server) await server.stop();
			server = null;
		},
	};
	return ctx;
}

function onSignal(signal) {
	console.log(`\n${signal}: stopping n8n and the sandbox`);
	stopAll().finally(() => process.exit(130));
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

main()
	.then((result) => finish(result))
	.catch(async (error) => {
		console.error(error && error.stack ? error.stack : error);
		await stopAll();
		finish({ passed: 0, failed: 1 });
		// The sandbox or the listener may still hold the event loop open.
		process.exit(1);
	});
