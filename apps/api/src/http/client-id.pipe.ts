import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { InvalidInputException } from './errors';
import { CLIENT_ID } from './validation';

/** A path id must look like a client id; anything else is a 400 naming the parameter. */
@Injectable()
export class ClientIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && CLIENT_ID.test(value)) return value;
    const field = metadata.data ?? 'id';
    throw new InvalidInputException([{ field, message: `${field} must be 1–64 characters of A-Z, a-z, 0-9, _ or -` }]);
  }
}
