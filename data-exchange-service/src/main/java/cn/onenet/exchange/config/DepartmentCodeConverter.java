package cn.onenet.exchange.config;

import org.eclipse.microprofile.config.spi.Converter;

import cn.onenet.common.identifiers.CreditCode;

/**
 * A configured department code (统一社会信用代码) in the form identity-service's register keeps and tokens carry: a code
 * is the same code in either letter case, so {@code 11330000002481020a} configured is the department whose staff's
 * {@code dept} is {@code 11330000002481020A}, and its notices and seal keys are stored under that form.
 */
public class DepartmentCodeConverter implements Converter<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String convert(String value) {
        String code = CreditCode.normalise(value);
        return code == null || code.isEmpty() ? null : code;
    }
}
