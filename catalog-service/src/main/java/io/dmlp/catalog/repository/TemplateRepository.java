package io.dmlp.catalog.repository;

import io.dmlp.catalog.domain.Template;
import io.dmlp.catalog.domain.TemplateVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Templates, their versions and what uses them. */
@ApplicationScoped
@WithSession
public class TemplateRepository implements PanacheRepositoryBase<Template, Long> {

    public Uni<Template> findInTenant(long id, UUID tenantId) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    public Uni<Boolean> nameTaken(UUID tenantId, String name, Long exceptId) {
        return count("tenantId = ?1 and lower(templateName) = lower(?2) and id <> ?3", tenantId, name,
                exceptId == null ? -1L : exceptId).map(n -> n > 0);
    }

    /** A page of the tenant's templates (every tenant's when {@code tenantId} is null), newest first. */
    public Uni<List<Template>> page(UUID tenantId, int skip, int limit) {
        var query = tenantId == null ? findAll(Sort.descending("id")) : find("tenantId", Sort.descending("id"), tenantId);
        return query.range(skip, skip + limit - 1).list();
    }

    public Uni<Long> countIn(UUID tenantId) {
        return tenantId == null ? count() : count("tenantId", tenantId);
    }

    public Uni<TemplateVersion> version(long templateId, int version) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from TemplateVersion where templateId = ?1 and version = ?2", TemplateVersion.class)
                .setParameter(1, templateId).setParameter(2, version).getSingleResultOrNull());
    }

    public Uni<Void> persistVersion(TemplateVersion version) {
        return Panache.getSession().chain(session -> session.persist(version));
    }

    /** Column counts of the current versions of {@code templates}, in the same order. */
    public Uni<List<TemplateVersion>> currentVersions(List<Template> templates) {
        if (templates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select v from TemplateVersion v, Template t where v.templateId = t.id and v.version = t.currentVersion"
                        + " and t.id in ?1", TemplateVersion.class)
                .setParameter(1, templates.stream().map(t -> t.id).toList()).getResultList());
    }

    public Uni<Long> usageCount(long templateId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select count(*) from template_usage where template_id = ?1", Long.class)
                .setParameter(1, templateId).getSingleResult());
    }

    /**
     * Records that a dataset of {@code tenantId} uses {@code templateId}, only when the template belongs to that
     * tenant; returns the rows inserted (0 for another tenant's or a missing template, or a known use).
     */
    public Uni<Integer> recordUsage(long templateId, long datasetId, UUID tenantId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into template_usage (template_id, dataset_id, tenant_id)"
                        + " select id, ?2, tenant_id from template where id = ?1 and tenant_id = ?3"
                        + " on conflict do nothing")
                .setParameter(1, templateId).setParameter(2, datasetId).setParameter(3, tenantId).executeUpdate());
    }

    /** Forgets the uses of a dataset of {@code tenantId}: another tenant's event frees nothing. */
    public Uni<Integer> releaseUsage(long datasetId, UUID tenantId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "delete from template_usage where dataset_id = ?1 and tenant_id = ?2")
                .setParameter(1, datasetId).setParameter(2, tenantId).executeUpdate());
    }
}
