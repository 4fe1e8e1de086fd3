'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, PACKAGE_NAME, PACKAGE_JSON, N8N_BIN, N8N_PACKAGE_DIR } = require('./paths');
const { spawnManaged, run, waitForOutput, stopChild, isRunning } = require('./proc');

/** The line n8n 2.x prints once the editor, REST API and webhooks all answer. */
const READY_PATTERN = /Editor is now accessible via/;

/**
 * The n8n version in local-n8n/, or undefined. npm writes node_modules/.package-lock.json only at
 * the end of an install, so a tree left half-done by an interrupted install does not count.
 */
function installedN8nVersion() {
	try {
		if (!fs.existsSync(path.join(N8N_PACKAGE_DIR, '..', '.package-lock.json'))) return undefined;
		return JSON.parse(fs.readFileSync(path.join(N8N_PACKAGE_DIR, 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

/**
 * Copies what `npm publish` would ship (package.json + the `files` entries) to where n8n 2.x looks
 * for installed community packages: <user folder>/.n8n/nodes/node_modules/<name>. n8n then registers
 * the node types as `<package name>.<node name>`, exactly as for a package installed from npm.
 */
function installPackageInto(userFolder) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	for (const entry of PACKAGE_JSON.files ?? ['dist']) {
		const source = path.join(ROOT, entry);
		if (!fs.existsSync(source)) throw new Error(`${entry} is missing; run \`npm run build\` first`);
		fs.cpSync(source, path.join(target, entry), { recursive: true });
	}
	const missing = [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials].filter(
		(file) => !fs.existsSync(path.join(target, file)),
	);
	return { target, missing };
}

class N8nInstance {
	/**
	 * @param {object} o
	 * @param {string} o.userFolder    N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n)
	 * @param {number} o.port          editor/REST/webhook port
	 * @param {number} o.brokerPort    task broker port of the server process
	 * @param {number} [o.cliBrokerPort] task broker port of CLI commands (they start their own broker)
	 * @param {string} [o.encryptionKey] fixed key; without one n8n creates and keeps its own in the user folder
	 * @param {string[]} [o.fileAccess] folders the file nodes may touch (N8N_RESTRICT_FILE_ACCESS_TO)
	 * @param {Record<string,string>} [o.env] extra environment
	 */
	constructor(o) {
		this.userFolder = o.userFolder;
		this.port = o.port;
		this.brokerPort = o.brokerPort;
		this.cliBrokerPort = o.cliBrokerPort ?? o.brokerPort;
		this.encryptionKey = o.encryptionKey;
		this.fileAccess = o.fileAccess ?? [];
		this.extraEnv = o.env ?? {};
		this.logFile = o.logFile ?? path.join(this.userFolder, 'n8n-server.log');
		this.cliLogFile = o.cliLogFile ?? path.join(this.userFolder, 'n8n-cli.log');
		this.server = undefined;
		this.serverOutput = '';
		this.cookie = undefined;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	env(brokerPort) {
		const env = {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_RESTRICT_FILE_ACCESS_TO: this.fileAccess.join(';'),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			...this.extraEnv,
		};
		if (this.encryptionKey) env.N8N_ENCRYPTION_KEY = this.encryptionKey;
		return env;
	}

	installPackage() {
		return installPackageInto(this.userFolder);
	}

	/**
	 * Runs an n8n CLI command. Its logger goes to a file so that stdout holds only what the command
	 * prints itself (e.g. `execute --rawOutput` JSON). n8n exits 0 even for many failures, so callers
	 * must check the output, not just the code.
	 */
	async cli(args, { timeoutMs = 180000 } = {}) {
		const env = {
			...this.env(this.cliBrokerPort),
			N8N_LOG_OUTPUT: 'file',
			N8N_LOG_FILE_LOCATION: this.cliLogFile,
			N8N_LOG_LEVEL: 'info',
		};
		const result = await run(process.execPath, [N8N_BIN, ...args], { cwd: this.userFolder, env, timeoutMs });
		return result;
	}

	/**
	 * `n8n execute --id --rawOutput`: the run data of a workflow that starts with a Manual Trigger.
	 * n8n 2.x prints that JSON through its logger, so with file logging it is the message of the
	 * log line base-command.js writes; only the lines this run added are read.
	 */
	async execute(workflowId, opts) {
		const offset = fileSize(this.cliLogFile);
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], opts);
		const added = readFrom(this.cliLogFile, offset);
		let data;
		for (const line of added.split('\n')) {
			let entry;
			try {
				entry = JSON.parse(line);
			} catch {
				continue;
			}
			if (entry?.metadata?.function !== 'log' || typeof entry.message !== 'string') continue;
			try {
				const parsed = JSON.parse(entry.message);
				if (parsed && typeof parsed === 'object' && parsed.data?.resultData) data = parsed;
			} catch {
				// Another message of the command, not the run data.
			}
		}
		return { ...result, log: added, data };
	}

	/**
	 * Starts `n8n start`, or another long-running command such as `n8n worker` (queue mode) with
	 * the line that command prints once it takes work.
	 */
	async start({ timeoutMs = 120000, echo, command = ['start'], readyPattern = READY_PATTERN } = {}) {
		const env = { ...this.env(this.brokerPort), N8N_LOG_OUTPUT: 'console', N8N_LOG_LEVEL: this.extraEnv.N8N_LOG_LEVEL ?? 'info' };
		fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
		const log = fs.createWriteStream(this.logFile, { flags: 'a' });
		const child = spawnManaged(process.execPath, [N8N_BIN, ...command], { cwd: this.userFolder, env });
		const onData = (chunk) => {
			this.serverOutput += chunk;
			if (this.serverOutput.length > 4_000_000) this.serverOutput = this.serverOutput.slice(-2_000_000);
			log.write(chunk);
			echo?.(chunk);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.exited.then(() => log.end());
		this.server = child;
		await waitForOutput(child, readyPattern, timeoutMs, `n8n ${command[0]}`);
		return child;
	}

	async stop(graceMs = 15000) {
		if (this.server) await stopChild(this.server, graceMs);
		this.server = undefined;
	}

	isRunning() {
		return this.server !== undefined && isRunning(this.server);
	}

	/** JSON REST call; the auth cookie from login() is sent along. Resolves with {status, body, headers}. */
	async rest(method, route, body, { headers = {} } = {}) {
		const response = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// Not JSON (HTML error page etc.): keep the text.
		}
		return { status: response.status, body: parsed, headers: response.headers };
	}

	async ownerSetUp() {
		const settings = await this.rest('GET', '/rest/settings');
		return settings.body?.data?.userManagement?.showSetupOnFirstLoad === false;
	}

	/** Creates the instance owner (first start only). */
	async setupOwner({ email, password, firstName = 'Demo', lastName = 'Owner' }) {
		const response = await this.rest('POST', '/rest/owner/setup', { email, password, firstName, lastName });
		if (response.status !== 200) {
			throw new Error(`owner setup failed: ${response.status} ${JSON.stringify(response.body)}`);
		}
		this.cookie = authCookie(response.headers) ?? this.cookie;
		return response.body.data;
	}

	/**
	 * Logs in and keeps the auth cookie. No `browser-id` header is sent, so the cookie is not bound to
	 * one browser id and works for both these REST calls and a headless Chromium.
	 */
	async login({ email, password }) {
		const response = await this.rest('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
		this.cookie = authCookie(response.headers);
		if (!this.cookie) throw new Error('login answered 200 but set no n8n-auth cookie');
		return response.body.data;
	}

	authToken() {
		return this.cookie?.replace(/^n8n-auth=/, '');
	}

	/** Node types the running server knows (the editor loads the same list). */
	async nodeTypeNames() {
		const response = await this.rest('GET', '/types/nodes.json');
		if (response.status !== 200 || !Array.isArray(response.body)) {
			throw new Error(`GET /types/nodes.json: ${response.status}`);
		}
		return response.body.map((type) => type.name);
	}

	async credentialTypeNames() {
		const response = await this.rest('GET', '/types/credentials.json');
		if (response.status !== 200 || !Array.isArray(response.body)) {
			throw new Error(`GET /types/credentials.json: ${response.status}`);
		}
		return response.body.map((type) => type.name);
	}
}

function fileSize(file) {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

function readFrom(file, offset) {
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const buffer = Buffer.alloc(Math.max(0, size - offset));
			fs.readSync(fd, buffer, 0, buffer.length, offset);
			return buffer.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return '';
	}
}

function authCookie(headers) {
	const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie')];
	for (const header of setCookies) {
		const match = /(?:^|,\s*)(n8n-auth=[^;]+)/.exec(header ?? '');
		if (match) return match[1];
	}
	return undefined;
}

module.exports = { N8nInstance, installPackageInto, installedN8nVersion, READY_PATTERN };
