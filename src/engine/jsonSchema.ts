/**
 * A small JSON Schema validator for the subset our data contracts use (type, const, enum,
 * pattern, required, properties, additionalProperties, items, $ref to #/$defs). Bundling a full
 * validator would cost more than the whole extension; these schemas need nothing more.
 */

export interface ISchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  required?: string[];
  properties?: Record<string, ISchema>;
  additionalProperties?: ISchema | boolean;
  items?: ISchema;
  minItems?: number;
  $ref?: string;
  $defs?: Record<string, ISchema>;
  [key: string]: unknown;
}

/** One violation, with the JSON path of the value that broke the rule. */
export interface ISchemaError {
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function typeMatches(actual: string, expected: string | string[]): boolean {
  const wanted = Array.isArray(expected) ? expected : [expected];
  return (
    wanted.includes(actual) ||
    (actual === 'integer' && wanted.includes('number'))
  );
}

/** All the ways `value` breaks `schema` (at most `limit`), empty when it conforms. */
export function validate(
  value: unknown,
  schema: ISchema,
  root: ISchema = schema,
  path = '$',
  errors: ISchemaError[] = [],
  limit = 20
): ISchemaError[] {
  if (errors.length >= limit) {
    return errors;
  }
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) {
      errors.push({ path, message: `unknown $ref ${schema.$ref}` });
      return errors;
    }
    return validate(value, target, root, path, errors, limit);
  }
  const actual = typeOf(value);
  if (schema.type && !typeMatches(actual, schema.type)) {
    errors.push({
      path,
      message: `expected ${[schema.type].flat().join(' or ')}, got ${actual}`
    });
    return errors;
  }
  if ('const' in schema && value !== schema.const) {
    errors.push({
      path,
      message: `expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`
    });
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push({
      path,
      message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`
    });
  }
  if (
    schema.pattern &&
    typeof value === 'string' &&
    !new RegExp(schema.pattern).test(value)
  ) {
    errors.push({
      path,
      message: `${JSON.stringify(value)} does not match ${schema.pattern}`
    });
  }
  if (
    schema.minimum !== undefined &&
    typeof value === 'number' &&
    value < schema.minimum
  ) {
    errors.push({ path, message: `${value} is below ${schema.minimum}` });
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record)) {
        errors.push({ path: `${path}.${key}`, message: 'is required' });
      }
    }
    for (const [key, item] of Object.entries(record)) {
      const child = schema.properties?.[key];
      if (child) {
        validate(item, child, root, `${path}.${key}`, errors, limit);
      } else if (schema.additionalProperties === false) {
        errors.push({ path: `${path}.${key}`, message: 'is not allowed' });
      } else if (typeof schema.additionalProperties === 'object') {
        validate(
          item,
          schema.additionalProperties,
          root,
          `${path}.${key}`,
          errors,
          limit
        );
      }
    }
  }
  if (actual === 'array') {
    const list = value as unknown[];
    if (schema.minItems !== undefined && list.length < schema.minItems) {
      errors.push({ path, message: `needs at least ${schema.minItems} items` });
    }
    if (schema.items) {
      list.forEach((item, i) =>
        validate(item, schema.items!, root, `${path}[${i}]`, errors, limit)
      );
    }
  }
  return errors;
}
