'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { spawnManaged, stopChild } = require('../../../scripts/lib/proc');

/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`: Chromium reads
 * NUL-terminated JSON messages on fd 3 and answers on fd 4. No WebSocket and no npm package needed.
 */
class Chromium {
	static async launch({ executable = '/usr/bin/chromium', width = 1600, height = 1000 } = {}) {
		const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
		const child = spawnManaged(
			executable,
			[
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--no-default-browser-check',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-extensions',
				'--hide-scrollbars',
				'--mute-audio',
				'--lang=en-US',
				`--window-size=${width},${height}`,
				`--user-data-dir=${profile}`,
				'--remote-debugging-pipe',
				'about:blank',
			],
			{ stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
		);
		const browser = new Chromium(child, profile);
		await browser.send('Browser.getVersion');
		return browser;
	}

	constructor(child, profile) {
		this.child = child;
		this.profile = profile;
		this.nextId = 1;
		this.pending = new Map();
		this.listeners = new Set();
		this.stderr = '';
		this.writer = child.stdio[3];
		let buffer = Buffer.alloc(0);
		child.stdio[4].on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			let end;
			while ((end = buffer.indexOf(0)) !== -1) {
				const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
				buffer = buffer.subarray(end + 1);
				this.dispatch(message);
			}
		});
		child.stderr.on('data', (chunk) => {
			this.stderr = (this.stderr + chunk).slice(-10000);
		});
		child.exited.then(() => {
			for (const { reject } of this.pending.values()) reject(new Error(`chromium exited:\n${this.stderr}`));
			this.pending.clear();
		});
	}

	dispatch(message) {
		if (message.id !== undefined) {
			const waiter = this.pending.get(message.id);
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
			else waiter.resolve(message.result);
			return;
		}
		for (const listener of this.listeners) listener(message);
	}

	send(method, params = {}, sessionId) {
		const id = this.nextId++;
		const message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject, method });
			this.writer.write(`${JSON.stringify(message)}\0`);
		});
	}

	waitForEvent(method, sessionId, timeoutMs = 30000) {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.listeners.delete(listener);
				reject(new Error(`no ${method} within ${timeoutMs} ms`));
			}, timeoutMs);
			const listener = (message) => {
				if (message.method === method && (!sessionId || message.sessionId === sessionId)) {
					clearTimeout(timer);
					this.listeners.delete(listener);
					resolve(message.params);
				}
			};
			this.listeners.add(listener);
		});
	}

	async newPage({ width, height }) {
		const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
		const page = {
			send: (method, params) => this.send(method, params, sessionId),
			waitForEvent: (method, timeoutMs) => this.waitForEvent(method, sessionId, timeoutMs),
			evaluate: async (expression) => {
				const { result, exceptionDetails } = await this.send(
					'Runtime.evaluate',
					{ expression, returnByValue: true, awaitPromise: true },
					sessionId,
				);
				if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
				return result.value;
			},
		};
		await page.send('Page.enable');
		await page.send('Network.enable');
		await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
		return page;
	}

	async close() {
		try {
			await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
		} catch {
			// Closing anyway.
		}
		await stopChild(this.child, 3000);
		fs.rmSync(this.profile, { recursive: true, force: true });
	}
}

module.exports = { Chromium };
