/**
 * Reading a submitted modal: `view.state.values[block][action]`, parsed with zod so a malformed payload reads as
 * "nothing entered" rather than crashing the handler. Every value is re-validated by the caller.
 */
import { z } from 'zod';

const option = z.object({ value: z.string(), text: z.object({ text: z.string() }).optional() });

const fieldState = z.object({
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).nullish(),
  selected_user: z.string().nullish(),
});

const valuesSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

export type FormValues = z.infer<typeof valuesSchema>;

export interface FieldIds {
  block: string;
  action: string;
}

export interface PickedOption {
  value: string;
  /** The label Slack showed; for messages only, never trusted. */
  label: string;
}

export function formValues(state: unknown): FormValues {
  const parsed = z.object({ values: valuesSchema }).safeParse(state);
  return parsed.success ? parsed.data.values : {};
}

function field(values: FormValues, ids: FieldIds): z.infer<typeof fieldState> | undefined {
  const parsed = fieldState.safeParse(values[ids.block]?.[ids.action]);
  return parsed.success ? parsed.data : undefined;
}

/** Trimmed text; undefined when blank. */
export function textOf(values: FormValues, ids: FieldIds): string | undefined {
  const text = field(values, ids)?.value?.trim();
  return text ? text : undefined;
}

export function selectedOf(values: FormValues, ids: FieldIds): string | undefined {
  return field(values, ids)?.selected_option?.value ?? undefined;
}

export function selectedOptionsOf(values: FormValues, ids: FieldIds): PickedOption[] {
  return (field(values, ids)?.selected_options ?? []).map((o) => ({ value: o.value, label: o.text?.text ?? o.value }));
}

export function selectedUserOf(values: FormValues, ids: FieldIds): string | undefined {
  return field(values, ids)?.selected_user ?? undefined;
}
