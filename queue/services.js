'use strict';
// The services a queue-mode n8n needs besides n8n itself: Redis (the BullMQ/Bull queue) and,
// optionally, PostgreSQL (the database main and workers share). Both come from Debian's
// packages, run as throwaway instances on free loopback ports in a temporary folder, and
// are stopped with the suite.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { runOrThrow, spawnTracked, stopProcess } = require('../lab/processes');
const { freePort } = require('../lab/n8n');

const MINUTE = 60000;

function findExecutable(name, extraDirs = []) {
	const dirs = [...(process.env.PATH || '').split(path.delimiter), ...extraDirs];
	for (const dir of dirs) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			// Not here.
		}
	}
	return null;
}

let aptUpdated = false;

/** `apt-get install` of Debian packages, with one `apt-get update` before the first install. */
async function aptInstall(packages, log) {
	if (process.getuid && process.getuid() !== 0) {
		throw new Error(`${packages.join(', ')} missing and not root: install them with apt-get first`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		log(`apt-get update (to install ${packages.join(', ')})...`);
		await runOrThrow('apt-get', ['update', '-q'], { env, timeoutMs: 10 * MINUTE });
		aptUpdated = true;
	}
	log(`apt-get install ${packages.join(' ')}...`);
	await runOrThrow('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], {
		env,
		timeoutMs: 15 * MINUTE,
	});
}

async function waitFor(what, probe, { timeoutMs = 30000, child } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
		if (await probe().catch(() => false)) return;
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** One RESP command over a raw socket: enough to PING, no client library needed. */
function redisCommand(port, words) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let reply = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('redis timeout')));
		socket.on('connect', () => {
			socket.write(
				`*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`,
			);
		});
		socket.on('data', (d) => {
			reply += d;
			if (reply.endsWith('\r\n')) {
				socket.end();
				resolve(reply.trim());
			}
		});
		socket.on('error', reject);
	});
}

/** Starts a fresh Redis on 127.0.0.1 (installing Debian's redis-server when absent). */
async function startRedis(workDir, { log = () => {} } = {}) {
	let bin = findExecutable('redis-server', ['/usr/bin', '/usr/sbin']);
	if (!bin) {
		await aptInstall(['redis-server'], log);
		bin = findExecutable('redis-server', ['/usr/bin', '/usr/sbin']);
		if (!bin) throw new Error('redis-server still missing after apt-get install');
	}
	const port = await freePort();
	const dir = path.join(workDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const settings = {
		port,
		bind: '127.0.0.1',
		'protected-mode': 'yes',
		save: '',
		appendonly: 'no',
		dir,
		logfile: logFile,
		daemonize: 'no',
	};
	const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, String(value)]);
	const child = spawnTracked(bin, args, { stdio: 'ignore' });
	await waitFor('redis-server', async () => (await redisCommand(port, ['PING'])) === '+PONG', {
		child,
	});
	return {
		port,
		pid: child.pid,
		process: child,
		command: (...words) => redisCommand(port, words),
		stop: () => stopProcess(child, 5000),
	};
}

function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return null;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : null;
}

/**
 * Starts a throwaway PostgreSQL cluster (Debian's packages, installed when absent) on
 * 127.0.0.1 with one database `n8n` owned by superuser `n8n`, trust auth on loopback only.
 * PostgreSQL refuses to run as root, so it runs as the `postgres` user Debian creates.
 */
async function startPostgres(workDir, { log = () => {} } = {}) {
	let binDir = postgresBinDir();
	if (!binDir) {
		await aptInstall(['postgresql'], log);
		binDir = postgresBinDir();
		if (!binDir) throw new Error('PostgreSQL still missing after apt-get install');
	}
	const asRoot = process.getuid && process.getuid() === 0;
	// setpriv execs in place (runuser would fork): the server stays our direct child, so it
	// is reaped and stopped with its process group.
	const wrap = (cmd, args) =>
		asRoot
			? [
					'setpriv',
					[
						'--reuid=postgres',
						'--regid=postgres',
						'--init-groups',
						'--reset-env',
						'--',
						cmd,
						...args,
					],
				]
			: [cmd, args];
	const dir = path.join(workDir, 'postgres');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	if (asRoot) await runOrThrow('chown', ['-R', 'postgres:postgres', dir]);
	// The folder above must be traversable by the postgres user.
	fs.chmodSync(workDir, 0o755);
	const data = path.join(dir, 'data');
	await runOrThrow(
		...wrap(path.join(binDir, 'initdb'), [
			'-D',
			data,
			'-U',
			'n8n',
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync',
		]),
		{ timeoutMs: 2 * MINUTE },
	);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const logFd = fs.openSync(logFile, 'a');
	// A throwaway cluster: no durability needed, loopback only, room for 3 n8n pools.
	const settings = {
		listen_addresses: '127.0.0.1',
		fsync: 'off',
		full_page_writes: 'off',
		max_connections: 200,
	};
	const args = ['-D', data, '-p', String(port), '-k', dir];
	for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
	const child = spawnTracked(...wrap(path.join(binDir, 'postgres'), args), {
		stdio: ['ignore', logFd, logFd],
	});
	fs.closeSync(logFd);
	const psqlBin = path.join(binDir, 'psql');
	const psql = (sql, db = 'n8n') =>
		runOrThrow(
			psqlBin,
			[
				'-h',
				dir,
				'-p',
				String(port),
				'-U',
				'n8n',
				'-d',
				db,
				'-At',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{
				timeoutMs: MINUTE,
			},
		).then((r) => r.stdout);
	await waitFor('postgres', async () => (await psql('SELECT 1', 'postgres')).trim() === '1', {
		child,
		timeoutMs: 60000,
	});
	await psql('CREATE DATABASE n8n', 'postgres');
	return {
		port,
		pid: child.pid,
		process: child,
		psql,
		/** n8n's settings for this database. */
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
		stop: () => stopProcess(child, 10000),
	};
}

module.exports = { startRedis, startPostgres, aptInstall, findExecutable };
