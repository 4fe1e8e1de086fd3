// Fresh process: time require() + instantiation of each file from package.json's n8n block,
// as n8n's loader does at start-up (it news every exported class to read its description).
// argv: <json list of absolute paths> <"preload"|"cold">
const { performance } = require('node:perf_hooks');

const files = JSON.parse(process.argv[2]);
const preload = process.argv[3] === 'preload';
// n8n itself has n8n-workflow loaded long before it reads community packages.
if (preload) require('n8n-workflow');

const perFile = [];
const start = performance.now();
for (const file of files) {
	const t0 = performance.now();
	const exported = require(file);
	let classes = 0;
	for (const value of Object.values(exported)) {
		if (typeof value !== 'function') continue;
		const instance = new value();
		if (!instance.description && !instance.name) throw new Error(`${file}: export is neither a node nor a credential`);
		classes++;
	}
	if (classes === 0) throw new Error(`${file} exports no class`);
	perFile.push({ file, ms: performance.now() - t0 });
}
const totalMs = performance.now() - start;
process.stdout.write(JSON.stringify({ totalMs, perFile, rss: process.memoryUsage().rss }));
