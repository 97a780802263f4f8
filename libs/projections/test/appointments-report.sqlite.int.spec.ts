import { appointmentsReportContract } from './appointments-report.contract';
import { sqliteTarget } from './read-store-targets';

appointmentsReportContract(sqliteTarget());
