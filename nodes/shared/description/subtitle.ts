import type { INodePropertyOptions } from 'n8n-workflow';

function namesByValue(options: INodePropertyOptions[]): Record<string, string> {
	return Object.fromEntries(options.map((option) => [String(option.value), option.name]));
}

/**
 * A canvas subtitle that shows the chosen option's name ("Analyze Conversation"), not its
 * value ("analyzeConversation"). Built from the options themselves so a renamed or added
 * operation cannot leave the canvas showing a raw value.
 */
export function optionSubtitle(parameter: string, options: INodePropertyOptions[]): string {
	return `={{ ${JSON.stringify(namesByValue(options))}[$parameter["${parameter}"]] }}`;
}

/**
 * The subtitle for a multi-select: the chosen names joined by commas, `whenEmpty` when
 * nothing is chosen, and an unknown value (from an older version) shown as it is.
 */
export function multiOptionSubtitle(parameter: string, options: INodePropertyOptions[], whenEmpty: string): string {
	const names = JSON.stringify(namesByValue(options));
	const chosen = `$parameter["${parameter}"]`;
	return `={{ (${chosen} || []).length ? ${chosen}.map((value) => (${names}[value] || value)).join(", ") : ${JSON.stringify(whenEmpty)} }}`;
}
