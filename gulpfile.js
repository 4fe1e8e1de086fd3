const { src, dest, parallel } = require('gulp');

/** tsc emits only JavaScript; icons and codex JSON files travel to dist/ beside their sources. */
function copyAssets(folder) {
	const task = () => src(`${folder}/**/*.{svg,png,json}`, { encoding: false }).pipe(dest(`dist/${folder}`));
	task.displayName = `copy ${folder} assets`;
	return task;
}

exports.build = parallel(copyAssets('nodes'), copyAssets('credentials'));
exports.default = exports.build;
