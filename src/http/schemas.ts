import { Type } from '@sinclair/typebox';
import { errorCatalogue } from '../errors.js';

/** The contract's error body. */
export const ErrorJson = Type.Object({
  code: Type.Union(
    Object.keys(errorCatalogue).map((code) => Type.Literal(code)),
  ),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
});
