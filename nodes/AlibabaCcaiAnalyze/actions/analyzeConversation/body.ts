import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { Dialogue } from './dialogue';
import { emptyRequiredForm } from './requiredForms';
import { RESULT_TYPES } from './resultTypes';

/** The node's options that shape the request body; the rest (concurrency, rps…) steer the run. */
export interface BodyOptions {
	modelCode?: string;
	sceneName?: string;
	responseFormatType?: string;
	timeConstraintList?: string[] | string;
	sourceCallerUid?: string;
	sessionId?: string;
}

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), `Input item ${itemIndex}: ${message}`, { itemIndex, description });
}

const trimmed = (value: unknown): string => (typeof value === 'string' ? value.trim() : value == null ? '' : String(value));

/** Rows of a fixedCollection; `{}` (nothing added) gives none. */
function rows(ctx: IExecuteFunctions, name: string, itemIndex: number): IDataObject[] {
	const value = ctx.getNodeParameter(name, itemIndex, []) as IDataObject[] | IDataObject;
	return Array.isArray(value) ? value : [];
}

function nested(row: IDataObject, collection: string, key: string): IDataObject[] {
	const value = (row[collection] as IDataObject | undefined)?.[key];
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

/**
 * Rows left completely empty are skipped (an "Add" clicked by mistake); a row with some
 * content but no key is a mistake worth an error rather than a silent drop.
 */
function isBlankRow(row: IDataObject, keys: string[]): boolean {
	return keys.every((key) => trimmed(row[key]) === '');
}

function readResultTypes(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const value = ctx.getNodeParameter('resultTypes', itemIndex, ['summary']) as string[] | string;
	const list = (Array.isArray(value) ? value : String(value).split(','))
		.map((type) => trimmed(type))
		.filter(Boolean);
	if (list.length === 0) {
		fail(ctx, itemIndex, 'no Result Types are selected', 'Choose at least one result type, e.g. Summary.');
	}
	const unknown = list.filter((type) => !RESULT_TYPES.includes(type));
	if (unknown.length > 0) {
		fail(
			ctx,
			itemIndex,
			`unknown result type ${unknown.map((type) => `"${type}"`).join(', ')}`,
			`Allowed values: ${RESULT_TYPES.join(', ')}.`,
		);
	}
	return [...new Set(list)];
}

function readFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const fields: IDataObject[] = [];
	rows(ctx, 'fieldsToExtract.field', itemIndex).forEach((row, index) => {
		if (isBlankRow(row, ['name', 'code', 'description']) && nested(row, 'enumValues', 'enumValue').length === 0) return;
		const name = trimmed(row.name);
		if (!name) fail(ctx, itemIndex, `Fields to Extract: field ${index + 1} has no name`);
		const field: IDataObject = { name, desc: trimmed(row.description) };
		const code = trimmed(row.code);
		if (code) field.code = code;
		const enumValues: IDataObject[] = [];
		nested(row, 'enumValues', 'enumValue').forEach((entry, valueIndex) => {
			if (isBlankRow(entry, ['value', 'description'])) return;
			const enumValue = trimmed(entry.value);
			if (!enumValue) {
				fail(ctx, itemIndex, `Fields to Extract: enum value ${valueIndex + 1} of field "${name}" has no value`);
			}
			enumValues.push({ enumValue, desc: trimmed(entry.description) });
		});
		if (enumValues.length > 0) field.enumValues = enumValues;
		fields.push(field);
	});
	return fields;
}

function readServiceInspection(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const sceneIntroduction = trimmed(ctx.getNodeParameter('inspectionScene', itemIndex, ''));
	const inspectionIntroduction = trimmed(ctx.getNodeParameter('inspectionIntroduction', itemIndex, ''));
	const inspectionContents: IDataObject[] = [];
	rows(ctx, 'inspectionDimensions.dimension', itemIndex).forEach((row, index) => {
		if (isBlankRow(row, ['title', 'content'])) return;
		const title = trimmed(row.title);
		if (!title) fail(ctx, itemIndex, `Inspection Dimensions: dimension ${index + 1} has no title`);
		inspectionContents.push({ title, content: trimmed(row.content) });
	});
	if (!sceneIntroduction && !inspectionIntroduction && inspectionContents.length === 0) return undefined;
	// All three are required by the API once serviceInspection is sent.
	return { sceneIntroduction, inspectionIntroduction, inspectionContents };
}

function readPairs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	label: string,
	[nameKey, valueKey]: [string, string],
	[bodyName, bodyValue]: [string, string],
): IDataObject[] {
	const pairs: IDataObject[] = [];
	rows(ctx, parameter, itemIndex).forEach((row, index) => {
		if (isBlankRow(row, [nameKey, valueKey])) return;
		const name = trimmed(row[nameKey]);
		if (!name) fail(ctx, itemIndex, `${label}: row ${index + 1} has no name`);
		const value = trimmed(row[valueKey]);
		pairs.push({ [bodyName]: name, ...(value ? { [bodyValue]: value } : {}) });
	});
	return pairs;
}

function readExamples(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const examples: IDataObject[] = [];
	rows(ctx, 'examples.example', itemIndex).forEach((row, index) => {
		const sentences = nested(row, 'sentences', 'sentence')
			.filter((sentence) => trimmed(sentence.text) !== '')
			.map((sentence) => {
				const chatId = trimmed(sentence.chatId);
				return { ...(chatId ? { chatId } : {}), role: trimmed(sentence.role) || 'user', text: String(sentence.text) };
			});
		const output = trimmed(row.output);
		if (!output && sentences.length === 0) return;
		if (!output) fail(ctx, itemIndex, `Examples: example ${index + 1} has no Expected Output`);
		if (sentences.length === 0) fail(ctx, itemIndex, `Examples: example ${index + 1} has no sentences`);
		examples.push({ output, sentences });
	});
	return examples;
}

function timeConstraints(value: BodyOptions['timeConstraintList']): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split('\n') : [];
	return list.map((entry) => trimmed(entry)).filter(Boolean);
}

/**
 * The AnalyzeConversation JSON body with the API's camelCase keys. Optional parts are left
 * out when empty: an empty list or string could be read by the service as "use nothing".
 */
export function buildRequestBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	dialogue: Dialogue,
	stream: boolean,
	options: BodyOptions,
): IDataObject {
	const sessionId = trimmed(options.sessionId) || dialogue.sessionId;
	const body: IDataObject = {
		stream,
		resultTypes: readResultTypes(ctx, itemIndex),
		dialogue: {
			sentences: dialogue.sentences.map(({ role, text }) => ({ role, text })),
			...(sessionId ? { sessionId } : {}),
		},
	};
	const examples = readExamples(ctx, itemIndex);
	if (examples.length > 0) body.examples = examples;
	const fields = readFields(ctx, itemIndex);
	if (fields.length > 0) body.fields = fields;
	const modelCode = trimmed(options.modelCode);
	if (modelCode) body.modelCode = modelCode;
	const sceneName = trimmed(options.sceneName);
	if (sceneName) body.sceneName = sceneName;
	const serviceInspection = readServiceInspection(ctx, itemIndex);
	if (serviceInspection) body.serviceInspection = serviceInspection;
	const categoryTags = readPairs(ctx, itemIndex, 'categoryTags.tag', 'Category Tags', ['name', 'description'], ['tagName', 'tagDesc']);
	if (categoryTags.length > 0) body.categoryTags = categoryTags;
	const userProfiles = readPairs(ctx, itemIndex, 'userProfiles.profile', 'User Profile', ['name', 'value'], ['name', 'value']);
	if (userProfiles.length > 0) body.userProfiles = userProfiles;
	const customPrompt = trimmed(ctx.getNodeParameter('customPrompt', itemIndex, ''));
	if (customPrompt) body.customPrompt = customPrompt;
	const responseFormatType = trimmed(options.responseFormatType);
	if (responseFormatType) body.responseFormatType = responseFormatType;
	const constraints = timeConstraints(options.timeConstraintList);
	if (constraints.length > 0) body.timeConstraintList = constraints;
	const sourceCallerUid = trimmed(options.sourceCallerUid);
	if (sourceCallerUid) body.sourceCallerUid = sourceCallerUid;
	const emptyForm = emptyRequiredForm(body.resultTypes as string[], body);
	if (emptyForm) fail(ctx, itemIndex, emptyForm.message, emptyForm.description);
	return body;
}
