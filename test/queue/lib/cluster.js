'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { N8nInstance } = require('../../../scripts/lib/n8n');
const { freePort, isRunning } = require('../../../scripts/lib/proc');
const { readLog, tail } = require('../../e2e/lib/util');

/** `n8n worker` prints this once it pulls jobs from the queue. */
const WORKER_READY = /n8n worker is now ready/;
/** job-processor.js logs these at info level, with the execution id, on the worker that runs it. */
const WORKER_STARTED = /Worker started execution (\d+) \(job (\d+)\)/g;
const ENQUEUED = /Enqueued execution (\d+) \(job (\d+)\)/g;
const WORKER_FINISHED = /Worker finished execution (\d+) \(job (\d+)\)/g;

/**
 * A queue-mode n8n: one main process (editor, REST, webhooks, triggers, enqueues executions) and
 * `n8n worker` processes that run them. They share Postgres (DB_TYPE=postgresdb), Redis (Bull
 * queue) and the encryption key; each has its own user folder, task-runner broker port and, for
 * workers, health-check port. The package is installed into every user folder, as a user
 * would install a community package on every host of a queue-mode setup.
 */
class QueueCluster {
	constructor({ dir, postgres, redis, database, logLevel = 'info', workerConcurrency = 10, poolSize = 10, extraEnv = {} }) {
		this.poolSize = poolSize;
		this.dir = dir;
		this.postgres = postgres;
		this.redis = redis;
		this.database = database;
		this.logLevel = logLevel;
		this.workerConcurrency = workerConcurrency;
		this.extraEnv = extraEnv;
		this.encryptionKey = crypto.randomBytes(24).toString('hex');
		this.main = undefined;
		this.workers = [];
	}

	sharedEnv() {
		return {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.postgres.host,
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: this.postgres.password,
			QUEUE_BULL_REDIS_HOST: this.redis.host,
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			// n8n's default pool is 2 connections. A burst of webhooks queues n8n's 5-second health
			// ping behind execution writes; the ping times out and the main process answers every
			// request with 503 "Database is not ready!" until the next ping (README: Queue mode).
			DB_POSTGRESDB_POOL_SIZE: String(this.poolSize),
			N8N_LOG_LEVEL: this.logLevel,
			// Stops must not wait the default 30 s for executions a failed run leaves behind.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			N8N_METRICS: 'false',
			...this.extraEnv,
		};
	}

	async instance(name, env = {}) {
		const userFolder = path.join(this.dir, name);
		fs.mkdirSync(userFolder, { recursive: true });
		const n8n = new N8nInstance({
			userFolder,
			port: await freePort(),
			brokerPort: await freePort(),
			cliBrokerPort: await freePort(),
			encryptionKey: this.encryptionKey,
			env: { ...this.sharedEnv(), ...env },
		});
		n8n.name = name;
		const { missing } = n8n.installPackage();
		if (missing.length) throw new Error(`files named in package.json "n8n" are missing from dist/: ${missing.join(', ')}`);
		return n8n;
	}

	async createMain() {
		this.main = await this.instance('main');
		return this.main;
	}

	async startMain(timeoutMs = 240000) {
		await this.main.start({ timeoutMs });
	}

	/** Starts one more worker; resolves once it takes jobs. */
	async addWorker(timeoutMs = 240000) {
		// Named before the first await: workers started together must not share a folder.
		this.workerCount = (this.workerCount ?? 0) + 1;
		const name = `worker${this.workerCount}`;
		const healthPort = await freePort();
		const worker = await this.instance(name, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		worker.healthPort = healthPort;
		this.workers.push(worker);
		await worker.start({ timeoutMs, command: ['worker', `--concurrency=${this.workerConcurrency}`], readyPattern: WORKER_READY });
		return worker;
	}

	processes() {
		return [this.main, ...this.workers].filter(Boolean);
	}

	/** A process that died while it should serve; its name and the tail of its log. */
	deadProcess() {
		const dead = this.processes().find((p) => p.server && !isRunning(p.server));
		return dead ? `${dead.name} exited:\n${tail(readLog(dead.logFile), 3000)}` : undefined;
	}

	/** The last lines of every n8n process' log, for a wait that timed out. */
	logTails(chars = 2000) {
		return this.processes()
			.map((p) => `--- n8n ${p.name} (${p.logFile})\n${tail(readLog(p.logFile), chars)}`)
			.join('\n');
	}

	/**
	 * Which worker ran which execution, from each worker's own log: execution id → worker names
	 * that logged "Worker started execution <id>". More than one name means a job ran twice.
	 */
	executionsByWorker() {
		const ranOn = new Map();
		const finishedOn = new Map();
		for (const worker of this.workers) {
			const log = readLog(worker.logFile);
			for (const [, id] of log.matchAll(WORKER_STARTED)) ranOn.set(id, [...(ranOn.get(id) ?? []), worker.name]);
			for (const [, id] of log.matchAll(WORKER_FINISHED)) finishedOn.set(id, [...(finishedOn.get(id) ?? []), worker.name]);
		}
		return { ranOn, finishedOn };
	}

	/** Execution ids the main process put on the queue (scaling.service.js logs each at info level). */
	enqueuedExecutions() {
		return new Set([...readLog(this.main.logFile).matchAll(ENQUEUED)].map((m) => m[1]));
	}

	async stop() {
		// Workers first, so no job is half-taken when the main stops enqueuing.
		await Promise.all(this.workers.map((w) => w.stop(10000)));
		if (this.main) await this.main.stop(10000);
	}
}

module.exports = { QueueCluster, WORKER_READY };
