'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { spawnManaged, run, waitForOutput, stopChild, freePort } = require('../../../scripts/lib/proc');

/**
 * Postgres and Redis for queue mode, from Debian's packages, each in a throw-away folder on a free
 * 127.0.0.1 port. Nothing here touches a system-wide cluster or service.
 */

const POSTGRES_ROOT = '/usr/lib/postgresql';
const REDIS_SERVER = '/usr/bin/redis-server';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The newest installed Postgres' bin folder (Debian keeps each major under /usr/lib/postgresql/N). */
function postgresBin() {
	let versions = [];
	try {
		versions = fs
			.readdirSync(POSTGRES_ROOT)
			.filter((v) => fs.existsSync(path.join(POSTGRES_ROOT, v, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
	} catch {
		// Not installed.
	}
	return versions.length ? path.join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/**
 * Installs Debian's postgresql and redis-server when missing. apt-get needs root and a fresh
 * package list; anyone else is told what to install.
 */
async function ensureServicePackages({ log }) {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!fs.existsSync(REDIS_SERVER)) missing.push('redis-server');
	if (!missing.length) return;
	if (!isRoot) throw new Error(`queue mode needs ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')}`);
	log(`installing ${missing.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const update = await run('apt-get', ['update'], { env, timeoutMs: 300000 });
	if (update.code !== 0) throw new Error(`apt-get update failed:\n${(update.stdout + update.stderr).slice(-2000)}`);
	const install = await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: 600000 });
	if (install.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${(install.stdout + install.stderr).slice(-2000)}`);
	if (!postgresBin() || !fs.existsSync(REDIS_SERVER)) throw new Error(`apt-get installed ${missing.join(', ')} but the binaries are not where Debian puts them`);
}

/** Postgres refuses to run as root, so as root its files and process belong to the `postgres` user. */
function asPostgresUser(command, args) {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

class LogTail {
	constructor(file) {
		this.file = file;
		this.stream = fs.createWriteStream(file, { flags: 'a' });
	}

	attach(child) {
		child.stdout?.on('data', (chunk) => this.stream.write(chunk));
		child.stderr?.on('data', (chunk) => this.stream.write(chunk));
		child.exited.then(() => this.stream.end());
	}
}

/**
 * A Postgres cluster in `dir`: trust authentication on 127.0.0.1 only, durability off (fsync,
 * synchronous commit) because the cluster lives for one test run.
 */
async function startPostgres({ dir, log }) {
	const bin = postgresBin();
	if (!bin) throw new Error('Postgres is not installed');
	const dataDir = path.join(dir, 'pgdata');
	fs.mkdirSync(dataDir, { recursive: true });
	if (isRoot) {
		await run('chown', ['-R', 'postgres:postgres', dir]);
		// The temporary folder's parents must let the postgres user through.
		fs.chmodSync(dir, 0o755);
	}
	const [initCmd, initArgs] = asPostgresUser(path.join(bin, 'initdb'), [
		'-D', dataDir, '-U', 'n8n', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync',
	]);
	const init = await run(initCmd, initArgs, { timeoutMs: 120000 });
	if (init.code !== 0) throw new Error(`initdb failed:\n${(init.stdout + init.stderr).slice(-2000)}`);

	const port = await freePort();
	const [cmd, args] = asPostgresUser(path.join(bin, 'postgres'), [
		'-D', dataDir,
		'-p', String(port),
		'-k', dir,
		'-c', 'listen_addresses=127.0.0.1',
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
		'-c', 'logging_collector=off',
	]);
	const child = spawnManaged(cmd, args, { cwd: dir });
	const logFile = path.join(dir, 'postgres.log');
	new LogTail(logFile).attach(child);
	await waitForOutput(child, /database system is ready to accept connections/, 60000, 'Postgres');
	log?.(`postgres on 127.0.0.1:${port} (${dataDir})`);
	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		password: '',
		child,
		logFile,
		/** SIGINT is Postgres' fast shutdown: it does not wait for clients to hang up. */
		stop: () => stopChild(child, 10000, 'SIGINT'),
	};
}

async function startRedis({ dir, log }) {
	const port = await freePort();
	const redisDir = path.join(dir, 'redis');
	fs.mkdirSync(redisDir, { recursive: true });
	const child = spawnManaged(
		REDIS_SERVER,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		{ cwd: redisDir },
	);
	const logFile = path.join(dir, 'redis.log');
	new LogTail(logFile).attach(child);
	await waitForOutput(child, /Ready to accept connections/, 30000, 'Redis');
	log?.(`redis on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port, child, logFile, stop: () => stopChild(child, 5000) };
}

module.exports = { ensureServicePackages, startPostgres, startRedis, postgresBin };
