'use strict';

/**
 * The package as a newcomer meets it in the n8n editor, in Debian's Chromium driven by
 * playwright-core: log in, find every node by searching "Alibaba" (trigger panel and after a
 * Manual Trigger), add ICE Archive from search, pick the credential, run Get Call Log, add CCAI
 * Analyze after it and run it, then open the credential and press its test. A screenshot of
 * each step goes to docs/screenshots/editor-*.png.
 *
 * Selectors are the editor's data-test-id attributes (the ones n8n's own Playwright suite
 * uses). Waits are generous because CI machines are slow; the only step retried is opening the
 * node creator from a canvas "+", where the editor can swallow a click while the canvas is
 * still laying out.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, PACKAGE_NAME } = require('../../../scripts/lib/paths');
const { assert } = require('../lib/harness');
const { ensureChromium, CHROMIUM } = require('./screenshots');

const DOCS_DIR = path.join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const STEP_MS = 30000;
const RUN_MS = 60000;

const N = {
	login: 'editor (Chromium): log in on the sign-in page',
	triggerSearch: 'editor: "Alibaba" in the trigger panel of a new workflow lists every node of the package',
	actionSearch: 'editor: "Alibaba" after a Manual Trigger lists every node of the package',
	aiCanvas: 'editor: with an AI node on the canvas (the chat example), "Alibaba" still lists every node, none as a sub-node',
	iceArchive: 'editor: ICE Archive from search, credential picked, Get Call Log runs, output in the panel',
	ccai: 'editor: CCAI Analyze added after it runs on its output, output in the panel',
	credential: 'editor: the credential opens and its test passes when pressed',
};
const NAMES = Object.values(N);

/** Display names and kinds of the package's nodes, from the built files n8n loads (so a new node is checked too). */
function packageNodes() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return pkg.n8n.nodes.map((file) => {
		const module = require(path.join(ROOT, file));
		const NodeClass = Object.values(module).find((value) => typeof value === 'function');
		const { description } = new NodeClass();
		return { name: description.name, displayName: description.displayName, trigger: description.group.includes('trigger') };
	});
}

/** Where the step screenshots go: docs/screenshots/ with --screenshots, else the run's temporary folder. */
let outDir = DOCS_DIR;

async function capture(page, name) {
	const file = path.join(outDir, `editor-${name}.png`);
	// "Node executed successfully" toasts would cover the output panel.
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.mouse.move(1, 1);
	await page.waitForTimeout(300);
	await page.screenshot({ path: file });
	const kb = Math.round(fs.statSync(file).size / 1024);
	assert.ok(kb > 15, `${path.basename(file)} is only ${kb} KB`);
	return `${path.relative(ROOT, file)} (${kb} KB)`;
}

const creator = (page) => page.getByTestId('node-creator');
const searchBar = (page) => page.getByTestId('node-creator-search-bar');

/** Every item name the node creator shows right now, across all its sections. */
async function listedNames(page) {
	return (await creator(page).getByTestId('node-creator-item-name').allInnerTexts()).map((text) => text.trim());
}

/** Types into the node creator's search and waits until the list settles on a result containing `expect`. */
async function search(page, text, expect) {
	await searchBar(page).fill(text);
	await creator(page).getByTestId('node-creator-item-name').filter({ hasText: expect }).first().waitFor({ timeout: STEP_MS });
	// The list is re-ranked while results stream in; a short pause lets the last render land.
	await page.waitForTimeout(500);
}

/** The node creator shows a trigger without its " Trigger" suffix ("Alibaba ICE Agent"). */
function shownName(node, listed) {
	return [node.displayName, node.displayName.replace(/ Trigger$/, '')].find((name) => listed.includes(name));
}

function missingFrom(listed, nodes) {
	return nodes.filter((node) => !shownName(node, listed)).map((node) => node.displayName);
}

/** Opens the node creator from `opener`; the first click can land while the canvas is still moving. */
async function openCreator(page, opener) {
	for (let attempt = 1; ; attempt++) {
		await opener().click();
		try {
			await searchBar(page).waitFor({ timeout: 10000 });
			return;
		} catch (error) {
			if (attempt === 3) throw error;
		}
	}
}

/**
 * A new, empty workflow with its "+" drawn. Under load the editor sometimes leaves a fresh
 * canvas blank; a reload draws it.
 */
async function newWorkflow(page, baseUrl) {
	for (let attempt = 1; ; attempt++) {
		await (attempt === 1 ? page.goto(`${baseUrl}/workflow/new`) : page.reload());
		try {
			await page.getByTestId('canvas-add-button').waitFor({ timeout: 20000 });
			return;
		} catch (error) {
			if (attempt === 3) throw error;
		}
	}
}

async function closeCreatorAndNdv(page) {
	for (let i = 0; i < 3; i++) {
		const open = (await page.getByTestId('ndv').isVisible().catch(() => false)) || (await creator(page).isVisible().catch(() => false));
		if (!open) return;
		await page.keyboard.press('Escape');
		await page.waitForTimeout(400);
	}
}

/** Fills a node parameter in the open details view. */
async function setParameter(page, name, value) {
	const input = page.getByTestId('ndv').getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
	await input.click();
	await input.fill(value);
	await page.keyboard.press('Tab');
}

/** Polls the visible text of `locator` until it matches `pattern`; returns that text. */
async function waitForText(locator, pattern, timeoutMs, what) {
	const until = Date.now() + timeoutMs;
	let text = '';
	while (Date.now() < until) {
		text = await locator.innerText().catch(() => '');
		if (pattern.test(text)) return text;
		await locator.page().waitForTimeout(250);
	}
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; it shows:\n${text.slice(0, 1500)}`);
}

/** Scrolls the panel down step by step until its visible text matches `pattern`. */
async function scrollUntil(panel, pattern, what) {
	const box = await panel.boundingBox();
	const page = panel.page();
	let text = '';
	for (let i = 0; i < 40; i++) {
		text = await panel.innerText();
		if (pattern.test(text)) {
			// Once more, so the match is in view for the screenshot, not just drawn below it.
			await page.mouse.wheel(0, 2000);
			await page.waitForTimeout(400);
			return text;
		}
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await page.mouse.wheel(0, 600);
		await page.waitForTimeout(250);
	}
	throw new Error(`scrolled to the end without finding ${what}; it shows:\n${text.slice(-1500)}`);
}

/** Presses "Execute step" and waits until the output panel shows one item; an error fails with its text. */
async function executeStep(page) {
	const ndv = page.getByTestId('ndv');
	await ndv.getByTestId('node-execute-button').click();
	// NDV v2 (n8n 2.x) names the output side "output-panel"; the older NDV "ndv-output-panel".
	const output = ndv.locator('[data-test-id="output-panel"], [data-test-id="ndv-output-panel"]').filter({ visible: true }).first();
	const text = await waitForText(output, /\b1 item\b|Error|Problem in node/, RUN_MS, 'the step to run');
	assert.doesNotMatch(text, /Error|Problem in node/, `the step failed:\n${text.slice(0, 1500)}`);
	return output;
}

/** Switches the output panel to its JSON view, where nested fields are text on the page. */
async function showJson(output) {
	const toggle = output.getByTestId('ndv-run-data-display-mode');
	if (await toggle.count()) {
		await toggle.getByText('JSON', { exact: true }).click();
		await output.page().waitForTimeout(500);
	}
}

/** The test id sits on the input itself in some n8n versions and on its wrapper in others. */
async function fillField(locator, value) {
	const isInput = await locator.evaluate((element) => element.matches('input, textarea'));
	await (isInput ? locator : locator.locator('input, textarea').first()).fill(value);
}

async function pickCredential(page, credentialName) {
	const select = page.getByTestId('ndv').getByTestId('node-credentials-select');
	await select.click();
	await page.locator('.el-select-dropdown__item, [role="option"]').filter({ hasText: credentialName }).first().click();
	await page.waitForTimeout(300);
	const chosen = await select.locator('input').inputValue().catch(() => select.innerText());
	assert.match(chosen, new RegExp(credentialName.replace(/[()]/g, '\\$&')), `the credential select shows "${chosen}"`);
}

async function run(ctx) {
	const { h, n8n, owner } = ctx;
	const credential = ctx.credentials.find((c) => c.type === 'alibabaCloudAccessKeyApi');
	if (!(await ensureChromium(h))) {
		h.notRun(NAMES, 'no chromium');
		return;
	}
	let playwright;
	try {
		playwright = require('playwright-core');
	} catch (error) {
		h.notRun(NAMES, `playwright-core is not installed: ${error.message}`);
		return;
	}
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	playwright.selectors.setTestIdAttribute('data-test-id');
	outDir = ctx.options?.screenshots || !ctx.workDir ? DOCS_DIR : path.join(ctx.workDir, 'screenshots');
	fs.mkdirSync(outDir, { recursive: true });
	const nodes = packageNodes();
	const fixtures = (await ctx.emulator.fixtures()).fixtures;
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-editor-chromium-'));
	let context;
	try {
		context = await playwright.chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: VIEWPORT,
			locale: 'en-US',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		context.setDefaultTimeout(STEP_MS);
		const page = context.pages()[0] ?? (await context.newPage());
		await steps(ctx, page, { nodes, fixtures, credential, owner });
	} catch (error) {
		h.record('editor: Chromium', false, error.stack ?? String(error), 0);
	} finally {
		await context?.close().catch(() => undefined);
		fs.rmSync(profile, { recursive: true, force: true });
	}
}

/** A failed step leaves a screenshot of the page as it was, outside the repository, and says where. */
function withFailureShot(page, name, fn) {
	return async () => {
		try {
			return await fn();
		} catch (error) {
			const dir = path.join(os.tmpdir(), 'n8n-e2e-editor-failures');
			fs.mkdirSync(dir, { recursive: true });
			const file = path.join(dir, `${name}.png`);
			await page.screenshot({ path: file }).catch(() => undefined);
			error.message = `${error.message}\n(page at failure: ${file})`;
			throw error;
		}
	};
}

async function steps(ctx, page, { nodes, fixtures, credential, owner }) {
	const { n8n } = ctx;
	const h = {
		check: (name, fn) => ctx.h.check(name, withFailureShot(page, Object.keys(N).find((key) => N[key] === name) ?? 'step', fn)),
		notRun: (...args) => ctx.h.notRun(...args),
	};
	const ok = await h.check(N.login, async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		await fillField(page.getByTestId('emailOrLdapLoginId'), owner.email);
		await fillField(page.getByTestId('password'), owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: STEP_MS });
		return `landed on ${new URL(page.url()).pathname}`;
	});
	if (!ok) {
		h.notRun(NAMES.slice(1), 'not logged in');
		return;
	}

	const inTriggerPanel = await h.check(N.triggerSearch, async () => {
		await newWorkflow(page, n8n.baseUrl);
		await openCreator(page, () => page.getByTestId('canvas-add-button'));
		await page.getByText('What triggers this workflow?').waitFor();
		await search(page, 'Alibaba', 'Alibaba');
		const listed = await listedNames(page);
		const shot = await capture(page, 'search-trigger-panel');
		assert.deepEqual(missingFrom(listed, nodes), [], `listed: ${listed.join(', ')}`);
		return `${listed.join(', ')}; ${shot}`;
	});
	if (!inTriggerPanel) await closeCreatorAndNdv(page);

	const afterManual = await h.check(N.actionSearch, async () => {
		if (!(await creator(page).isVisible())) {
			await newWorkflow(page, n8n.baseUrl);
			await openCreator(page, () => page.getByTestId('canvas-add-button'));
		}
		await search(page, 'manual', 'Manual Trigger');
		await creator(page).getByTestId('node-creator-item-name').filter({ hasText: /^Manual Trigger$/ }).first().click();
		await page.getByTestId('canvas-node').first().waitFor();
		await closeCreatorAndNdv(page);
		const plus = () => page.locator('[data-test-id="canvas-node-output-handle"] [data-test-id="canvas-handle-plus"]').first();
		await openCreator(page, plus);
		await page.getByText('What happens next?').waitFor();
		await search(page, 'Alibaba', 'Alibaba ICE Archive');
		const listed = await listedNames(page);
		assert.deepEqual(missingFrom(listed, nodes), [], `listed: ${listed.join(', ')}`);
		for (const word of ['Aliyun', 'CCAI', 'call log']) {
			await search(page, word, 'Alibaba');
			const found = await listedNames(page);
			assert.ok(found.some((name) => name.startsWith('Alibaba')), `"${word}" finds no Alibaba node: ${found.join(', ')}`);
		}
		await search(page, 'Alibaba', 'Alibaba ICE Archive');
		return capture(page, 'search-after-manual-trigger');
	});

	const iceNodeName = 'Alibaba ICE Archive';
	const archived = afterManual && (await h.check(N.iceArchive, async () => {
		await creator(page).getByTestId('node-creator-item-name').filter({ hasText: iceNodeName }).first().click();
		const action = creator(page).getByTestId('node-creator-item-name').filter({ hasText: /^Get the call log of an instance$/ }).first();
		await action.waitFor();
		await page.waitForTimeout(500);
		await capture(page, 'ice-archive-actions');
		await action.click();
		await page.getByTestId('ndv').waitFor();
		await pickCredential(page, credential.name);
		await setParameter(page, 'instanceId', fixtures.ice.seedInstanceId);
		const before = (await ctx.emulator.requests('DescribeAIAgentInstance')).length;
		const output = await executeStep(page);
		await showJson(output);
		const text = await output.innerText();
		assert.match(text, new RegExp(fixtures.ice.seedInstanceId), 'the output panel does not show the instance');
		assert.match(text, /"role":\s*"user"/, 'the output panel does not show the transcript sentences');
		assert.match(text, /讲个有趣的儿童故事/, 'the output panel does not show what the caller said');
		const calls = (await ctx.emulator.requests('DescribeAIAgentInstance')).slice(before);
		assert.ok(calls.length > 0 && calls.every((c) => c.status === 200), 'the step did not call DescribeAIAgentInstance successfully');
		return capture(page, 'ice-archive-get-call-log');
	}));
	if (!archived) h.notRun([N.ccai], 'ICE Archive did not run');

	if (archived) {
		await h.check(N.ccai, async () => {
			await closeCreatorAndNdv(page);
			const plus = () =>
				page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${iceNodeName}"] [data-test-id="canvas-handle-plus"]`).first();
			await openCreator(page, plus);
			await search(page, 'CCAI', 'Alibaba CCAI Analyze');
			await creator(page).getByTestId('node-creator-item-name').filter({ hasText: 'Alibaba CCAI Analyze' }).first().click();
			const action = creator(page).getByTestId('node-creator-item-name').filter({ hasText: /^Analyze a conversation$/ }).first();
			await action.click();
			await page.getByTestId('ndv').waitFor();
			await setParameter(page, 'workspaceId', fixtures.ccai.workspaceId);
			await setParameter(page, 'appId', fixtures.ccai.appId);
			const before = (await ctx.emulator.requests('AnalyzeConversation')).length;
			const output = await executeStep(page);
			await showJson(output);
			// Version 1.1 adds the analysis after the (long) conversation; the JSON view draws only
			// what is scrolled into view, so scroll to the end of the item.
			const text = await scrollUntil(output, /"finishReason":\s*"stop"/, 'a finished analysis in the output panel');
			assert.match(text, /"analysis":/, 'the analysis is not in its own field of the item');
			const calls = (await ctx.emulator.requests('AnalyzeConversation')).slice(before);
			assert.deepEqual(calls.map((c) => c.status), [200], 'the step should send AnalyzeConversation once, successfully');
			return capture(page, 'ccai-analyze');
		});
	}

	const chatExample = ctx.examples?.['chatbot-streaming-chat.json'];
	if (!chatExample) h.notRun([N.aiCanvas], 'the chat example was not imported');
	else {
		await h.check(N.aiCanvas, async () => {
			await closeCreatorAndNdv(page);
			// Its Chat Trigger is a LangChain node: the case where n8n regroups "AI" nodes as sub-nodes.
			await page.goto(`${n8n.baseUrl}/workflow/${chatExample.id}`);
			await page.getByTestId('canvas-node').first().waitFor();
			await openCreator(page, () => page.getByTestId('node-creator-plus-button'));
			await search(page, 'Alibaba', 'Alibaba');
			const listed = await listedNames(page);
			const shot = await capture(page, 'search-with-ai-node');
			assert.deepEqual(missingFrom(listed, nodes), [], `listed: ${listed.join(', ')}`);
			const panel = await creator(page).innerText();
			assert.doesNotMatch(panel, /sub-nodes/i, `the package's nodes are grouped as sub-nodes:\n${panel.slice(0, 800)}`);
			return shot;
		});
	}

	await h.check(N.credential, async () => {
		await closeCreatorAndNdv(page);
		await page.goto(`${n8n.baseUrl}/home/credentials`);
		await page.getByText(credential.name, { exact: true }).first().click();
		const modal = page.getByTestId('credential-edit-dialog');
		await modal.waitFor();
		const before = (await ctx.emulator.requests('GetCallerIdentity')).length;
		const success = modal.getByTestId('credentials-config-container-test-success');
		// n8n tests a saved credential when it opens; the banner's button runs the test again.
		await success.waitFor({ timeout: RUN_MS });
		await success.getByRole('button').click();
		await page.waitForTimeout(500);
		await success.waitFor({ timeout: RUN_MS });
		await modal.getByText('Connection tested successfully').waitFor();
		const after = await ctx.emulator.requests('GetCallerIdentity');
		assert.ok(after.length > before, 'pressing the test did not reach STS GetCallerIdentity on the emulator');
		assert.equal(after.at(-1).status, 200);
		return capture(page, 'credential-test');
	});
}

module.exports = { run, NAMES };
