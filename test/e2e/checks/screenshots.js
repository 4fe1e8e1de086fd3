'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../../../scripts/lib/paths');
const { run } = require('../../../scripts/lib/proc');
const { Chromium } = require('../lib/cdp');
const { assert } = require('../lib/harness');
const { sleep, waitFor } = require('../lib/util');

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = path.join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1600, height: 900 };

/** Debian's chromium, installed on demand: only the screenshot run needs it, CI does not. */
async function ensureChromium(h) {
	if (fs.existsSync(CHROMIUM)) return true;
	return h.check('install Debian chromium (apt-get install -y chromium)', async () => {
		const update = await run('apt-get', ['update'], { timeoutMs: 300000 });
		assert.equal(update.code, 0, update.stderr.slice(-2000));
		const install = await run('apt-get', ['install', '-y', 'chromium'], {
			timeoutMs: 600000,
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		assert.equal(install.code, 0, install.stderr.slice(-2000));
		assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is still missing`);
	});
}

/** Nodes and sticky notes the editor has drawn on the canvas. */
const COUNT_DRAWN = `document.querySelectorAll('.vue-flow__node').length`;

async function shoot(page, n8n, example) {
	await page.send('Page.navigate', { url: `${n8n.baseUrl}/workflow/${example.id}` });
	const expected = example.workflow.nodes.length;
	await waitFor(async () => (await page.evaluate(COUNT_DRAWN)) >= expected, 60000, `${expected} nodes on the canvas`);
	// Icons load after the nodes, and the canvas fits the view once it knows every node's size.
	await waitFor(
		async () => page.evaluate(`[...document.images].every((img) => img.complete) && document.fonts.status === 'loaded'`),
		20000,
		'icons and fonts',
	);
	await sleep(1500);
	await page.evaluate(`document.activeElement && document.activeElement.blur && document.activeElement.blur()`);
	const { data } = await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
	const file = path.join(OUT_DIR, example.name.replace(/\.json$/, '.png'));
	fs.writeFileSync(file, Buffer.from(data, 'base64'));
	const broken = await page.evaluate(
		`[...document.querySelectorAll('.vue-flow__node')].filter((n) => /install|not installed|unknown/i.test(n.innerText)).length`,
	);
	assert.equal(broken, 0, 'a node is drawn as unknown / not installed');
	return `${path.relative(ROOT, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`;
}

async function takeScreenshots(ctx) {
	const { h, n8n } = ctx;
	const examples = Object.values(ctx.examples);
	const names = examples.map((e) => `screenshot of ${e.name} in the n8n editor`);
	if (!(await ensureChromium(h))) {
		h.notRun(names, 'no chromium');
		return;
	}
	fs.mkdirSync(OUT_DIR, { recursive: true });
	let browser;
	try {
		browser = await Chromium.launch({ executable: CHROMIUM, ...VIEWPORT });
		const page = await browser.newPage(VIEWPORT);
		await page.send('Network.setCookie', { name: 'n8n-auth', value: n8n.authToken(), url: `${n8n.baseUrl}/`, httpOnly: true });
		for (const [i, example] of examples.entries()) await h.check(names[i], () => shoot(page, n8n, example));
	} catch (error) {
		h.record('screenshots: chromium', false, error.message, 0);
	} finally {
		await browser?.close();
	}
}

module.exports = { takeScreenshots };
