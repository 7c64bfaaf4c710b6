-- Where validated rows live: the dataset's silver Iceberg table, and each file's Parquet data files in it.
alter table dataset add column iceberg_location varchar(1024);
-- File ids are reserved before the upload is read (every silver row carries its file's id).
alter table dataset_file add column data_files text; -- JSON array of the file's Parquet data file URIs
