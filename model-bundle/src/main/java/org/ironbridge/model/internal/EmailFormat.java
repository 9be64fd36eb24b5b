package org.ironbridge.model.internal;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import java.util.regex.Pattern;

/**
 * A lenient {@code email} format: {@code local@domain.tld} without spaces. The validator's own
 * check only accepts top-level domains from its built-in list, which would reject real addresses at
 * newer (or reserved, e.g. {@code .example}) domains.
 */
final class EmailFormat implements Format {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");

    @Override
    public String getName() {
        return "email";
    }

    @Override
    public boolean matches(ExecutionContext executionContext, String value) {
        return EMAIL.matcher(value).matches();
    }
}
