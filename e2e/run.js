#!/usr/bin/env node
'use strict';
// `npm run test:e2e`: the package as users get it, in a real n8n. Builds and packs the
// package, installs it into a fresh n8n user folder the way n8n's installer does, runs the
// cases against the sandbox, and ends with the line "N passed, N failed".
//   --no-build      pack the dist/ that is there
//   --grep TEXT     run only the cases whose title contains TEXT
//   --keep          keep the n8n user folder (its path is printed)
const { startSandbox } = require('../sandbox');
const n8nLib = require('./lib/n8n');
const { setupOwnerAndLogin } = require('./lib/n8n-rest');
const { startMattermostListener } = require('./lib/mattermost-listener');
const { buildAndPack, prepareLocalInstance } = require('./lib/local-instance');
const { createHarness, seconds } = require('./lib/harness');
const { stopAll } = require('./lib/processes');

const CASES = [
	'orders',
	'refusals',
	'error-output',
	'retry',
	'examples',
	'credential-test',
	'retry-changed-parameters',
	'redirects',
	'order-key',
	'retry-button-subworkflow',
	'stored-executions',
];

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : null;
const log = (line) => console.log(line);

async function main() {
	const started = Date.now();
	const n8n = await n8nLib.ensureN8n({ log });
	log(`n8n ${n8n.version} ready (${seconds(started)})`);
	const tarball = await buildAndPack({ build: !flag('--no-build'), log });
	log(`Packed ${tarball}`);

	const sandbox = await startSandbox();
	const mattermost = await startMattermostListener();
	const ctx = createContext({ sandbox, mattermost });
	const t = createHarness({ log });
	const filtered = {
		test: (name, fn) => (!grep || name.includes(grep) ? t.test(name, fn) : undefined),
	};
	for (const name of CASES) require(`./cases/${name}`)(filtered, ctx);

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
	log(`User folder ${ctx.folder.path} ready (${seconds(setupStarted)}); running cases:`);

	let result;
	try {
		result = await t.run({
			beforeEach: () => {
				sandbox.reset();
				mattermost.reset();
			},
		});
	} finally {
		await ctx.stopServer();
		await sandbox.close();
		await mattermost.close();
		if (flag('--keep')) log(`Kept ${ctx.folder.path}`);
		else n8nLib.removeUserFolder(ctx.folder);
	}
	log(`e2e finished in ${seconds(started)}`);
	return result;
}

function createContext({ sandbox, mattermost }) {
	let server = null;
	const ctx = {
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
				server = { ...n8nStart, rest: await setupOwnerAndLogin(n8nStart.url) };
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
	.then(({ passed, failed }) => {
		console.log(`${passed} passed, ${failed} failed`);
		process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
	})
	.catch(async (error) => {
		console.error(error && error.stack ? error.stack : error);
		await stopAll();
		console.log('0 passed, 1 failed');
		// The sandbox or the listener may still hold the event loop open.
		process.exit(1);
	});
