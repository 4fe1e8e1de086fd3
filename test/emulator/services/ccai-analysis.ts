import { seededInt } from '../deterministic';

export interface Sentence {
	role: 'user' | 'agent' | 'system';
	text: string;
}

export interface FieldSpec {
	name: string;
	desc: string;
	code?: string;
	enumValues?: Array<{ enumValue: string; desc: string }>;
}

export interface AnalyzeRequest {
	stream: boolean;
	resultTypes: string[];
	sentences: Sentence[];
	fields?: FieldSpec[];
	modelCode?: string;
	sceneName?: string;
	customPrompt?: string;
	serviceInspection?: { inspectionContents?: Array<{ title: string; content: string }> };
	categoryTags?: Array<{ tagName: string; tagDesc?: string }>;
	userProfiles?: Array<{ name: string; value?: string }>;
}

type Result = string | Record<string, unknown> | unknown[];

/** Optional list options may arrive as anything; a wrong type just counts as empty. */
function list<T>(value: T[] | undefined): T[] {
	return Array.isArray(value) ? value : [];
}

const NEGATIVE = /投诉|生气|不满|差评|angry|complain/i;
const PHONE = /1\d{10}/;

function userTexts(req: AnalyzeRequest): string[] {
	return req.sentences.filter((s) => s.role === 'user').map((s) => s.text);
}

function shorten(text: string, max: number): string {
	const chars = [...text];
	return chars.length > max ? chars.slice(0, max).join('') + '…' : text;
}

/** Names the options that reached the body, so tests can prove them from the text alone. */
function optionNote(req: AnalyzeRequest): string {
	const parts = [`model=${req.modelCode ?? 'tyxmTurbo'}`];
	if (req.sceneName) parts.push(`scene=${req.sceneName}`);
	return `[${parts.join('; ')}]`;
}

function summary(req: AnalyzeRequest): string {
	const n = req.sentences.length;
	const users = userTexts(req);
	const first = users[0] ?? req.sentences[0]?.text ?? '';
	return (
		`对话摘要：共${n}句对话（客户${users.length}句，客服${req.sentences.filter((s) => s.role === 'agent').length}句）。` +
		`客户的主要诉求是“${shorten(first, 30)}”。Summary: ${n} sentences. ${optionNote(req)}`
	);
}

function fieldValue(field: FieldSpec, req: AnalyzeRequest): string {
	if (field.enumValues && field.enumValues.length > 0) {
		const all = req.sentences.map((s) => s.text).join('');
		return field.enumValues[seededInt(`${field.name}|${all}`, field.enumValues.length)].enumValue;
	}
	const phone = req.sentences.map((s) => PHONE.exec(s.text)?.[0]).find(Boolean);
	if (phone && /phone|电话|手机/i.test(`${field.name} ${field.code ?? ''}`)) return phone;
	return `未提及（${field.name}）`;
}

function keywords(req: AnalyzeRequest): string[] {
	const phrases = req.sentences
		.flatMap((s) => s.text.split(/[\s,.!?;:，。！？；：、“”"'（）()]+/))
		.map((p) => shorten(p, 8).replace('…', ''))
		.filter((p) => [...p].length >= 2);
	return [...new Set(phrases)].slice(0, 5);
}

function questionsAndAnswers(req: AnalyzeRequest): Array<{ question: string; answer: string }> {
	const pairs: Array<{ question: string; answer: string }> = [];
	req.sentences.forEach((s, i) => {
		const next = req.sentences[i + 1];
		if (s.role === 'user' && next?.role === 'agent') pairs.push({ question: s.text, answer: next.text });
	});
	return pairs;
}

const GENERATORS: Record<string, (req: AnalyzeRequest) => Result> = {
	summary,
	title: (req) => `关于“${shorten(userTexts(req)[0] ?? '客户来电', 12)}”的咨询 ${optionNote(req)}`,
	fields: (req) => Object.fromEntries(list(req.fields).map((f) => [f.name, fieldValue(f, req)])),
	keywords,
	service_inspection: (req) =>
		list(req.serviceInspection?.inspectionContents).map((c) => ({
			title: c.title,
			hit: false,
			reason: `未发现“${c.title}”相关问题。`,
		})),
	question_solution: (req) =>
		`问题描述：${shorten(userTexts(req)[0] ?? '无', 30)}\n处理方案：${shorten(
			req.sentences.filter((s) => s.role === 'agent').slice(-1)[0]?.text ?? '无',
			30,
		)}`,
	questions_and_answer: questionsAndAnswers,
	user_profile: (req) => Object.fromEntries(list(req.userProfiles).map((p) => [p.name, p.value ?? '未知'])),
	category_tag: (req) => list(req.categoryTags).slice(0, 1).map((t) => t.tagName),
	emotion_detection: (req) => ({ user: userTexts(req).some((t) => NEGATIVE.test(t)) ? '负面' : '中性', agent: '正面' }),
	satisfaction: (req) => ({ satisfaction: userTexts(req).some((t) => NEGATIVE.test(t)) ? '不满意' : '满意' }),
	actions: (req) => req.sentences.filter((s) => s.role === 'agent').map((s) => shorten(s.text, 20)),
	service_finish: (req) => ({ finished: req.sentences.slice(-1)[0]?.role !== 'user', reason: '最后一句由客服结束。' }),
	label_classification: (req) => (userTexts(req).some((t) => NEGATIVE.test(t)) ? ['投诉'] : ['咨询']),
	analysis_image: () => '对话中没有图片。',
	custom_prompt: (req) => `按自定义指令“${req.customPrompt ?? ''}”分析：共${req.sentences.length}句对话。${optionNote(req)}`,
	dianxiao_summary: (req) => `电销摘要：客户${userTexts(req).length}次发言，意向：${NEGATIVE.test(userTexts(req).join('')) ? '低' : '中'}。`,
};

export const RESULT_TYPES = Object.keys(GENERATORS);

/**
 * One result type → its text (JSON-valued types as a JSON string);
 * several → a JSON object keyed by result type.
 */
export function analysisText(req: AnalyzeRequest): string {
	const results = req.resultTypes.map((type) => [type, GENERATORS[type](req)] as const);
	if (results.length === 1) {
		const only = results[0][1];
		return typeof only === 'string' ? only : JSON.stringify(only);
	}
	return JSON.stringify(Object.fromEntries(results));
}

export function tokenCounts(req: AnalyzeRequest, outputText: string) {
	const input = 40 + req.sentences.reduce((sum, s) => sum + [...s.text].length, 0);
	const output = [...outputText].length;
	return { inputTokens: String(input), outputTokens: String(output), totalTokens: String(input + output) };
}
