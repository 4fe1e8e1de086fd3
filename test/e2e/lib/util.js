'use strict';

const fs = require('node:fs');

function readLog(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function tail(text, n = 3000) {
	return text.length > n ? `…${text.slice(-n)}` : text;
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
async function waitFor(fn, timeoutMs, what) {
	const until = Date.now() + timeoutMs;
	let last;
	while (Date.now() < until) {
		last = await fn();
		if (last) return last;
		await sleep(250);
	}
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Lines an n8n log must never hold when the package loaded cleanly. */
const LOAD_PROBLEMS = /Unrecognized node type|Cannot find module|Error loading package|Failed to load|is not a valid node|There was an error loading/i;

module.exports = { readLog, tail, sleep, waitFor, LOAD_PROBLEMS };
