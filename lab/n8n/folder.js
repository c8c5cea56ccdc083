'use strict';
// One n8n user folder per run, and the n8n CLI against it (import, execute): what a user's
// n8n keeps in ~/.n8n, fresh each time so that runs never share state.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { run } = require('../processes');

const ENCRYPTION_KEY = 'n8n-lab-not-a-secret';
const MINUTE = 60000;

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A fresh n8n user folder with its own task-broker port, so that runs never share state.
 * @returns {Promise<{ n8n, path: string, env: (extra?: object) => object }>}
 */
async function newUserFolder(n8n, { prefix = 'n8n-lab-' } = {}) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const brokerPort = await freePort();
	const env = (extra = {}) =>
		n8n.env({
			...unsetInheritedN8nSettings(),
			N8N_USER_FOLDER: folder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			// 2.x prints the result of `execute` through its logger: a quieter level hides it.
			N8N_LOG_LEVEL: 'info',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_HIDE_USAGE_PAGE: 'true',
			...extra,
		});
	return { n8n, path: folder, brokerPort, env };
}

// Settings in the caller's shell (a DB_TYPE, an N8N_PORT...) would silently change what is
// tested: every n8n setting a run needs is given explicitly.
const N8N_SETTING = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/;
function unsetInheritedN8nSettings() {
	const unset = {};
	for (const key of Object.keys(process.env)) if (N8N_SETTING.test(key)) unset[key] = undefined;
	return unset;
}

function removeUserFolder(folder) {
	fs.rmSync(folder.path, { recursive: true, force: true });
}

/** Runs one n8n CLI command against the user folder. */
function cli(folder, args, { env, timeoutMs = 3 * MINUTE } = {}) {
	const { n8n } = folder;
	// Run from the user folder: nothing of the repository is on n8n's path.
	return run(n8n.nodeBin, [n8n.n8nBin, ...args], {
		cwd: folder.path,
		env: folder.env(env),
		timeoutMs,
	});
}

async function cliOrThrow(folder, args, options) {
	const result = await cli(folder, args, options);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`,
		);
	}
	return result;
}

function tail(text, lines = 25) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

function writeTempJson(folder, name, value) {
	const file = path.join(folder.path, `${name}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/** @param {Array<{id, name, type, data}>} credentials decrypted, as n8n's import expects */
async function importCredentials(folder, credentials) {
	const file = writeTempJson(folder, 'credentials', credentials);
	await cliOrThrow(folder, ['import:credentials', `--input=${file}`]);
	fs.rmSync(file);
}

/** @param {object[]} workflows each with a fixed `id` of at most 21 characters */
async function importWorkflows(folder, workflows) {
	const file = writeTempJson(folder, 'workflows', workflows);
	await cliOrThrow(folder, ['import:workflow', `--input=${file}`]);
	fs.rmSync(file);
}

/**
 * `n8n execute --id`, parsed. Its stdout mixes log lines with the pretty-printed run: the
 * JSON starts at the line `{` and ends at the last line `}`; on failure the last line is
 * the error message. The exit code alone proves nothing (a missing --id exits 0).
 * @returns {Promise<{ ok: boolean, code, run: object|null, error: object|null,
 *   lastLine: string, afterRun: string[], output: string, nodeOutput: (node: string, branch?: number) => object[]|null,
 *   nodeRuns: (node: string) => object[] }>}
 */
async function execute(folder, workflowId, options) {
	const result = await cli(folder, ['execute', `--id=${workflowId}`, '--rawOutput'], options);
	const lines = result.stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	let runJson = null;
	if (start !== -1 && end > start) {
		try {
			runJson = JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			runJson = null;
		}
	}
	const error = runJson?.data?.resultData?.error ?? null;
	const nonEmpty = lines.filter((l) => l.trim() !== '');
	// The error message follows the run JSON, but n8n's task runner may log after it.
	const afterRun = (end === -1 ? lines : lines.slice(end + 1)).filter((l) => l.trim() !== '');
	return {
		ok: result.code === 0 && runJson !== null && error === null,
		code: result.code,
		run: runJson,
		error,
		lastLine: nonEmpty[nonEmpty.length - 1] || '',
		afterRun,
		output: result.stdout + result.stderr,
		nodeOutput(node, branch = 0) {
			const task = runJson?.data?.resultData?.runData?.[node];
			if (!task) return null;
			return task[task.length - 1]?.data?.main?.[branch] ?? [];
		},
		nodeRuns(node) {
			return runJson?.data?.resultData?.runData?.[node] ?? [];
		},
	};
}

/** Files under the user folder's .n8n (database, WAL, stored binaries) whose bytes contain `text`. */
function filesContaining(folder, text) {
	const root = path.join(folder.path, '.n8n');
	const needle = Buffer.from(text, 'utf8');
	return fs
		.readdirSync(root, { recursive: true })
		.map((file) => path.join(root, file))
		.filter((file) => fs.lstatSync(file).isFile() && fs.readFileSync(file).includes(needle));
}

module.exports = {
	ENCRYPTION_KEY,
	freePort,
	newUserFolder,
	removeUserFolder,
	cli,
	cliOrThrow,
	tail,
	importCredentials,
	importWorkflows,
	execute,
	filesContaining,
};
