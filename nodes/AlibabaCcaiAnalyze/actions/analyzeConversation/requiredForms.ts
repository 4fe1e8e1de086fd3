import type { IDataObject } from 'n8n-workflow';

/**
 * Result types that analyze what the user describes in the form shown for them. Sent with the
 * form empty, the service still answers (and bills) with an empty result, e.g. `"fields": {}`.
 * Each entry says what is missing, in the node's own words, when the body lacks it.
 */
const REQUIRED_FORMS: Record<string, { label: string; missing: (body: IDataObject) => string | undefined }> = {
	fields: {
		label: 'Fields',
		missing: (body) => (hasRows(body.fields) ? undefined : 'add at least one field under Fields to Extract'),
	},
	category_tag: {
		label: 'Category Tag',
		missing: (body) => (hasRows(body.categoryTags) ? undefined : 'add at least one tag under Category Tags'),
	},
	user_profile: {
		label: 'User Profile',
		missing: (body) => (hasRows(body.userProfiles) ? undefined : 'add at least one item under User Profile'),
	},
	custom_prompt: {
		label: 'Custom Prompt',
		missing: (body) => (body.customPrompt ? undefined : 'fill in Custom Prompt'),
	},
	service_inspection: {
		label: 'Service Inspection',
		missing: (body) => {
			const inspection = (body.serviceInspection ?? {}) as IDataObject;
			const empty = [
				inspection.sceneIntroduction ? undefined : 'Inspection Scene',
				inspection.inspectionIntroduction ? undefined : 'Inspection Introduction',
				hasRows(inspection.inspectionContents) ? undefined : 'at least one of Inspection Dimensions',
			].filter(Boolean);
			return empty.length ? `fill in ${empty.join(', ')}` : undefined;
		},
	},
};

function hasRows(value: unknown): boolean {
	return Array.isArray(value) && value.length > 0;
}

/** The first selected result type whose form is empty, with what to fill in; undefined when all are complete. */
export function emptyRequiredForm(resultTypes: string[], body: IDataObject): { message: string; description: string } | undefined {
	for (const type of resultTypes) {
		const form = REQUIRED_FORMS[type];
		const missing = form?.missing(body);
		if (form && missing) {
			return {
				message: `Result type "${form.label}" needs its form: ${missing}`,
				description: `Fill in the form that appears for "${form.label}" under Result Types, or remove "${form.label}" from Result Types. Nothing was sent to ContactCenterAI.`,
			};
		}
	}
	return undefined;
}
