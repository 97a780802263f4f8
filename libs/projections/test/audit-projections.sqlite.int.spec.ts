import { auditProjectionsContract } from './audit-projections.contract';
import { sqliteTarget } from './read-store-targets';

auditProjectionsContract(sqliteTarget());
