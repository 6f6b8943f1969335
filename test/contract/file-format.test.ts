/** The FileFormat contract for the Parquet and CSV formats of file targets. */
import { csvFormat } from '../../connectors/csv/csv-format.js';
import { parquetFormat } from '../../connectors/parquet/parquet-format.js';
import { fileFormatContract } from './file-format.contract.js';

fileFormatContract(parquetFormat);
fileFormatContract(csvFormat);
