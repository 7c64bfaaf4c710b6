package io.dmlp.dataset.domain;

import java.util.List;

/** A dataset with its files. */
public record DatasetWithFiles(Dataset dataset, List<DatasetFile> files) {

    public boolean valid() {
        return files.stream().anyMatch(f -> f.valid);
    }

    /**
     * Valid rows over all rows, e.g. "85%", rounded down: a dataset with a rejected row never reads "100%"
     * (2,997 of 3,000 is "99%").
     */
    public String usability() {
        long total = files.stream().mapToLong(f -> f.totalRecords).sum();
        long valid = files.stream().mapToLong(f -> f.validRecords).sum();
        return (total == 0 ? 0 : Math.floorDiv(100 * valid, total)) + "%";
    }
}
