'use strict';

const assert = require('node:assert/strict');

/**
 * Checks run one after another and print PASS/FAIL as they finish. A check that cannot run
 * because what it needs failed earlier counts as failed ("not run"), so the totals never look
 * better than what was proven. CI reads the final `N passed, N failed` line.
 */
class Harness {
	constructor({ verbose = false } = {}) {
		this.results = [];
		this.verbose = verbose;
		this.started = Date.now();
	}

	async check(name, fn) {
		const t0 = Date.now();
		try {
			const detail = await fn();
			this.record(name, true, detail, Date.now() - t0);
			return true;
		} catch (error) {
			this.record(name, false, error instanceof Error ? (this.verbose ? error.stack : error.message) : String(error), Date.now() - t0);
			return false;
		}
	}

	notRun(names, reason) {
		for (const name of names) this.record(name, false, `not run: ${reason}`, 0);
	}

	record(name, ok, detail, ms) {
		this.results.push({ name, ok, detail });
		const time = ms ? ` (${(ms / 1000).toFixed(1)} s)` : '';
		const text = typeof detail === 'string' && detail ? `\n       ${detail.split('\n').join('\n       ')}` : '';
		console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${time}${ok ? (this.verbose ? text : '') : text}`);
	}

	log(message) {
		console.log(`      · ${message}`);
	}

	get failed() {
		return this.results.filter((r) => !r.ok).length;
	}

	get passed() {
		return this.results.filter((r) => r.ok).length;
	}

	summary() {
		console.log('');
		console.log(`Checks (${((Date.now() - this.started) / 1000).toFixed(0)} s):`);
		for (const r of this.results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`);
		console.log('');
		console.log(`${this.passed} passed, ${this.failed} failed`);
	}
}

module.exports = { Harness, assert };
