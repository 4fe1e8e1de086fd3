import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/** Whether a parameter's value as stored in the workflow holds an n8n expression anywhere. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

function storedValue(parameters: IDataObject, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/**
 * The context with getNodeParameter answered once for each parameter that holds no
 * expression. n8n resolves and deep-copies a parameter on every call, and a node that checks
 * all items before its first billed call reads a dozen parameters per item: for a few hundred
 * items that was most of the time before the first call (test/bench, "before its first call").
 * A parameter without an expression is the same for every item, so its first answer is kept.
 * Kept values are shared by all items: read them, never change them.
 */
export function withFixedParameters(ctx: IExecuteFunctions): IExecuteFunctions {
	const parameters = ctx.getNode().parameters as IDataObject;
	const kept = new Map<string, unknown>();
	const bound = new Map<PropertyKey, unknown>();
	const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions) => {
		if (options !== undefined) return ctx.getNodeParameter(name, itemIndex, fallback as IDataObject, options);
		if (kept.has(name)) return kept.get(name);
		const value = ctx.getNodeParameter(name, itemIndex, fallback as IDataObject);
		if (!holdsExpression(storedValue(parameters, name))) kept.set(name, value);
		return value;
	};
	return new Proxy(ctx, {
		get(target, key) {
			if (key === 'getNodeParameter') return getNodeParameter;
			const value: unknown = Reflect.get(target, key, target);
			if (typeof value !== 'function') return value;
			// Bound to the real context: n8n's contexts keep their state in fields the methods read from `this`.
			if (!bound.has(key)) bound.set(key, (value as (...args: unknown[]) => unknown).bind(target));
			return bound.get(key);
		},
	});
}
