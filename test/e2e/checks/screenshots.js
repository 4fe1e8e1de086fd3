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

const FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/** Debian's chromium and a CJK font (the fixtures speak Chinese), installed on demand: only this run needs them. */
async function ensureChromium(h) {
	const missing = [
		[CHROMIUM, 'chromium'],
		[FONT, 'fonts-wqy-microhei'],
	].filter(([file]) => !fs.existsSync(file));
	if (missing.length === 0) return true;
	const packages = missing.map(([, name]) => name);
	return h.check(`install Debian ${packages.join(' ')} (apt-get)`, async () => {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const update = await run('apt-get', ['update'], { timeoutMs: 300000, env });
		assert.equal(update.code, 0, update.stderr.slice(-2000));
		const install = await run('apt-get', ['install', '-y', ...packages], { timeoutMs: 600000, env });
		assert.equal(install.code, 0, install.stderr.slice(-2000));
		for (const [file] of missing) assert.ok(fs.existsSync(file), `${file} is still missing`);
	});
}

/** Nodes and sticky notes the editor has drawn on the canvas. */
const COUNT_DRAWN = `document.querySelectorAll('.vue-flow__node').length`;

/**
 * What each example's screenshots show. `run`: click Execute workflow first, so the canvas shows
 * item counts; `chat`: send this message in the editor's chat panel; `open`: then open this node's
 * details (parameters and output) for a second screenshot, and `expand` a section in it.
 */
const PLANS = {
	'ice-calls-analyze-to-data-table.json': { open: 'ICE Call Trigger', suffix: 'trigger-node' },
	'dianjin-dialog-ccai-fields.json': { run: true, open: 'Extract fields', suffix: 'ccai-node' },
	'chatbot-streaming-chat.json': { chat: '你有什么技能?', expect: '我是个大模型' },
	'ice-agent-callbacks-archive.json': { open: 'ICE Agent Trigger', suffix: 'trigger-node', expand: 'Webhook URLs' },
};

const js = (value) => JSON.stringify(value);

async function click(page, selector) {
	const found = await page.evaluate(`(() => { const e = document.querySelector(${js(selector)}); if (e) e.click(); return !!e; })()`);
	assert.ok(found, `${selector} is not on the page`);
}

async function doubleClickNode(page, name) {
	const box = await page.evaluate(`(() => {
		const node = [...document.querySelectorAll('.vue-flow__node')].find((e) => e.innerText.split('\\n').includes(${js(name)}));
		if (!node) return null;
		const r = node.querySelector('[data-test-id="canvas-node"]')?.getBoundingClientRect() ?? node.getBoundingClientRect();
		return { x: r.x + r.width / 2, y: r.y + Math.min(r.height / 2, 40) };
	})()`);
	assert.ok(box, `node "${name}" is not on the canvas`);
	await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: box.x, y: box.y });
	for (const clickCount of [1, 2]) {
		for (const type of ['mousePressed', 'mouseReleased']) {
			await page.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount });
		}
	}
	await waitFor(() => page.evaluate(`!!document.querySelector('[data-test-id="ndv"]')`), 10000, `the details of "${name}"`);
	await sleep(1500);
}

async function closeToasts(page) {
	await page.evaluate(`document.querySelectorAll('.el-notification__closeBtn').forEach((b) => b.click())`);
	await sleep(800);
}

async function capture(page, file) {
	await page.evaluate(`document.activeElement && document.activeElement.blur && document.activeElement.blur()`);
	const { data } = await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
	fs.writeFileSync(file, Buffer.from(data, 'base64'));
	const kb = Math.round(fs.statSync(file).size / 1024);
	assert.ok(kb > 20, `${path.basename(file)} is only ${kb} KB`);
	return `${path.relative(ROOT, file)} (${kb} KB)`;
}

async function openWorkflow(page, n8n, example) {
	await page.send('Page.navigate', { url: `${n8n.baseUrl}/workflow/${example.id}` });
	const expected = example.workflow.nodes.length;
	await waitFor(async () => (await page.evaluate(COUNT_DRAWN)) >= expected, 60000, `${expected} nodes on the canvas`);
	// Icons load after the nodes, and the canvas fits the view once it knows every node's size.
	await waitFor(
		() => page.evaluate(`[...document.images].every((img) => img.complete) && document.fonts.status === 'loaded'`),
		20000,
		'icons and fonts',
	);
	await sleep(1500);
	const unknown = await page.evaluate(
		`[...document.querySelectorAll('.vue-flow__node')].filter((n) => /not installed|unknown node|install this node/i.test(n.innerText)).length`,
	);
	assert.equal(unknown, 0, 'a node is drawn as unknown / not installed');
}

async function shoot(page, n8n, example) {
	const plan = PLANS[example.name] ?? {};
	const base = path.join(OUT_DIR, example.name.replace(/\.json$/, ''));
	const made = [];
	await openWorkflow(page, n8n, example);
	if (plan.run) {
		await click(page, '[data-test-id="execute-workflow-button"]');
		await waitFor(
			() => page.evaluate(`/Workflow executed successfully|Problem in node|Workflow has issues/.test(document.body.innerText)`),
			60000,
			'the run to finish',
		);
		assert.ok(await page.evaluate(`document.body.innerText.includes('Workflow executed successfully')`), 'the run in the editor failed');
		await closeToasts(page);
	}
	if (plan.chat) {
		await click(page, '[data-test-id="workflow-chat-button"]');
		await waitFor(() => page.evaluate(`!!document.querySelector('[data-test-id="chat-input"] textarea')`), 10000, 'the chat input');
		await page.evaluate(`document.querySelector('[data-test-id="chat-input"] textarea').focus()`);
		await page.send('Input.insertText', { text: plan.chat });
		await page.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
		await page.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
		await waitFor(
			() => page.evaluate(`(document.querySelector('[data-test-id="canvas-chat"]')?.innerText ?? '').includes(${js(plan.expect)})`),
			30000,
			'the streamed answer in the chat panel',
		);
		await sleep(1500);
		await closeToasts(page);
	}
	made.push(await capture(page, `${base}.png`));
	if (plan.open) {
		await doubleClickNode(page, plan.open);
		if (plan.expand) {
			const box = await page.evaluate(`(() => {
				const ndv = document.querySelector('[data-test-id="ndv"]');
				const label = [...ndv.querySelectorAll('*')].filter((e) => e.textContent.trim() === ${js(plan.expand)}).at(-1);
				if (!label) return null;
				const r = label.getBoundingClientRect();
				return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
			})()`);
			assert.ok(box, `no "${plan.expand}" in the node details`);
			for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
				await page.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
			}
			await sleep(1000);
		}
		made.push(await capture(page, `${base}-${plan.suffix}.png`));
	}
	return made.join(', ');
}

async function takeScreenshots(ctx) {
	const { h, n8n } = ctx;
	const examples = Object.values(ctx.examples);
	const names = examples.map((e) => `screenshots of ${e.name} in the n8n editor`);
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

module.exports = { takeScreenshots, ensureChromium, CHROMIUM };
