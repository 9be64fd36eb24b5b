package org.ironbridge.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document with Ironbridge's stable {@code code}.
 *
 * @param type {@code https://ironbridge.dev/errors/<code>}
 * @param title the fixed human title of the code
 * @param status the HTTP status
 * @param detail what happened in this case
 * @param code the stable machine code (see API.md)
 * @param requestId the request's id
 * @param errors field errors of a validation failure, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        String requestId,
        List<FieldProblem> errors) {

    /** One invalid field. */
    public record FieldProblem(String field, String message) {}

    public static final String MEDIA_TYPE = "application/problem+json";
}
