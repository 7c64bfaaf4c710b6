package io.dmlp.auth.rest;

import io.dmlp.auth.domain.Permission;
import io.dmlp.auth.domain.Role;
import io.dmlp.auth.domain.Tenant;
import io.dmlp.auth.domain.User;
import io.dmlp.auth.service.LoginService;
import io.dmlp.auth.service.RbacService;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of the identity API, shaped as the API guide shows them (snake_case). */
final class Dtos {

    private Dtos() {
    }

    /** No control characters: they would corrupt logs and terminals. */
    static final String PRINTABLE = "[^\\p{Cntrl}]*";

    record TokenResponse(String accessToken, String tokenType, String refreshToken, long expiresIn) {
        static TokenResponse of(LoginService.Tokens tokens) {
            return new TokenResponse(tokens.accessToken(), "bearer", tokens.refreshToken(), tokens.expiresInSeconds());
        }
    }

    record UserResponse(long id, String tenantId, String firstName, String lastName, String email, String username,
            boolean isActive) {
        static UserResponse of(User user) {
            return new UserResponse(user.id, user.tenantId.toString(), user.firstName, user.lastName, user.email,
                    user.username, user.active);
        }
    }

    /** test-token: the user as the guide shows it, plus what the token lets them do. */
    record CallerResponse(long id, String tenantId, String firstName, String lastName, String email, String username,
            boolean isActive, List<String> roles, List<String> permissions) {
    }

    record UsersPage(List<UserResponse> data, long count) {
    }

    record StatusCode(int status, String message) {
    }

    record StatusText(String status, String message) {
    }

    record CreateUserRequest(
            @NotBlank String tenantId,
            @Size(max = 100) @Pattern(regexp = PRINTABLE) String firstName,
            @Size(max = 100) @Pattern(regexp = PRINTABLE) String lastName,
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 150) @Pattern(regexp = PRINTABLE) String username,
            @NotNull String password) {
    }

    record NameInTenant(@NotBlank String name, String tenantId) {
    }

    record RoleResponse(long id, String tenantId, String name) {
        static RoleResponse of(Role role) {
            return new RoleResponse(role.id, role.tenantId.toString(), role.name);
        }
    }

    record PermissionResponse(long id, String name, String tenantId) {
        static PermissionResponse of(Permission permission) {
            return new PermissionResponse(permission.id, permission.name, permission.tenantId.toString());
        }
    }

    record PermissionRef(long id, String name) {
    }

    record RoleWithPermissions(long id, String tenantId, String name, List<PermissionRef> permissions) {
        static RoleWithPermissions of(RbacService.RoleView view) {
            return new RoleWithPermissions(view.role().id, view.role().tenantId.toString(), view.role().name,
                    view.permissions().stream().map(p -> new PermissionRef(p.id, p.name)).toList());
        }
    }

    /** The list envelope of docs/api.md "Pagination". */
    record RolesPage(long total, List<RoleWithPermissions> data) {
    }

    record RoleAssignment(@NotNull Long roleId) {
    }

    record PermissionAssignment(@NotNull Long permissionId) {
    }

    record UserRoles(long userId, List<String> roles) {
    }

    record ResetPasswordRequest(String userName, String newPassword, String currentPassword) {
    }

    record TenantRequest(@NotBlank @Size(max = 100) @Pattern(regexp = PRINTABLE) String name) {
    }

    record TenantResponse(String id, String name, OffsetDateTime createdAt) {
        static TenantResponse of(Tenant tenant) {
            return new TenantResponse(tenant.id.toString(), tenant.name, tenant.createdAt);
        }
    }

    record TenantsPage(List<TenantResponse> data, long count) {
    }
}
