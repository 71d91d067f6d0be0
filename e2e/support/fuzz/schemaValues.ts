import fc from 'fast-check';

/** The part of JSON Schema (as zod-openapi writes it) that the fuzzer reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/**
 * Values that satisfy a schema, kept small (short strings, short arrays, numbers near their
 * minimum) so that the requests they make reach the handlers without making each one expensive.
 * The fuzzer then breaks them in one place at a time.
 */
export function valuesOf(schema: JsonSchema | undefined, components: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 12) return fc.constant(null);
  const next = (s: JsonSchema | undefined) => valuesOf(s, components, depth + 1);
  if (schema.$ref) return next(components[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((choice) => next({ ...schema, oneOf: undefined, anyOf: undefined, ...choice })));
  if (schema.allOf) return next(Object.assign({}, ...schema.allOf.map((part) => resolve(part, components))));
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((t) => next({ ...schema, type: t })));
  switch (type) {
    case 'string':
      return stringsOf(schema);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      const max = Math.min(schema.maximum ?? min + 20, min + 20);
      return type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(next(schema.items), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) });
    case 'object':
    case undefined:
      if (!schema.properties) return schema.additionalProperties ? fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) : fc.constant({});
      return fc.record(
        Object.fromEntries(Object.entries(schema.properties).map(([key, property]) => [key, next(property)])),
        { requiredKeys: schema.required ?? [] },
      );
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  return schema.$ref ? (components[schema.$ref.replace('#/components/schemas/', '')] ?? {}) : schema;
}

function stringsOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uri' || schema.format === 'url') return fc.constantFrom('https://example.com/', 'https://cdn.example.com/a.png', 'http://127.0.0.1:9/x');
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 12, 12));
  if (schema.pattern) {
    const lengthFits = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
    return fc.stringMatching(new RegExp(schema.pattern)).filter(lengthFits);
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}
