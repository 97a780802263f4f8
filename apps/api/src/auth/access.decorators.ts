import { SetMetadata } from '@nestjs/common';
import type { Role } from '@rapport/access';

export const PUBLIC_ROUTE = 'rapport:public';
export const ALLOWED_ROLES = 'rapport:roles';
export const SELF_PARAM = 'rapport:self-param';

/** No token needed (health, metrics for the scraper). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The roles that may call this route; clinic scope is checked from the ids the request names. */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Any role may call this route about itself: the named path parameter equals the token's user. */
export const AllowSelf = (param: string) => SetMetadata(SELF_PARAM, param);
