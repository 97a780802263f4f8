import { objectionsReportContract } from './objections-report.contract';
import { sqliteTarget } from './read-store-targets';

objectionsReportContract(sqliteTarget());
