import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputException } from '../http/errors';

/** A follow-up id is server-made: `<patientId>.fu<n>`; anything else is a 400 naming the parameter. */
@Injectable()
export class FollowUpIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}\.fu\d{1,12}$/.test(value)) return value;
    const field = metadata.data ?? 'followUpId';
    throw new InvalidInputException([{ field, message: `${field} must be a follow-up id the server made: <patientId>.fu<n>` }]);
  }
}
