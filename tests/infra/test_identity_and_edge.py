"""The user pool per stage, the web client's Content-Security-Policy and the API's web ACL,
evaluated as CloudFormation would for given parameter values (conditions, `Fn::If`,
`AWS::NoValue`), with the local stack's intrinsic-function evaluator."""

import re
from collections.abc import Mapping
from typing import Any

import pytest

from stacks.intrinsics import Scope, resolve
from stacks.templates import API_TEMPLATE, BOOTSTRAP_TEMPLATE, load_template, parameter_defaults

BOOTSTRAP = load_template(BOOTSTRAP_TEMPLATE)
API = load_template(API_TEMPLATE)
REGION = "eu-west-1"
SITE = "https://d111111abcdef8.cloudfront.net/"
API_ORIGIN = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
SES_IDENTITY = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"


class _Attributes(Mapping[str, str]):
    """Every `Fn::GetAtt` answered; the site's domain as CloudFront would name it."""

    def __getitem__(self, name: str) -> str:
        if name == "WebDistribution.DomainName":
            return SITE.removeprefix("https://").rstrip("/")
        if name.endswith(".RegionalDomainName"):
            return f"{name.split('.')[0].lower()}.s3.{REGION}.amazonaws.com"
        return name

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


def scope(template: dict[str, Any], **parameters: Any) -> Scope:
    resources = {name: f"{name}-id" for name in template["Resources"]}
    pseudo = {
        "AWS::Region": REGION,
        "AWS::AccountId": "123456789012",
        "AWS::Partition": "aws",
        "AWS::StackName": "shop-stack",
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::NoValue": None,
    }
    return Scope(
        references={**pseudo, **parameter_defaults(template), **parameters, **resources},
        attributes=_Attributes(),
        conditions=template.get("Conditions", {}),
    )


def deployed(template: dict[str, Any], logical_id: str, **parameters: Any) -> dict[str, Any] | None:
    """The resource's properties as deployed with these parameters; None when not created."""
    resource = template["Resources"][logical_id]
    evaluation = scope(template, **parameters)
    if "Condition" in resource and not evaluation.condition(resource["Condition"]):
        return None
    properties = resolve(resource.get("Properties", {}), evaluation)
    return {name: value for name, value in properties.items() if value is not None}


def accepts(template: dict[str, Any], parameter: str, value: str) -> bool:
    pattern = template["Parameters"][parameter]["AllowedPattern"]
    return all(re.fullmatch(pattern, item) for item in value.split(","))


def client(**parameters: Any) -> dict[str, Any]:
    properties = deployed(BOOTSTRAP, "UserPoolClient", **parameters)
    assert properties is not None
    return properties


# ---------------------------------------------------------------- tokens and MFA
def test_access_and_id_tokens_live_fifteen_minutes_and_can_be_revoked() -> None:
    properties = client(Stage="prod")
    lifetimes = {
        token: (properties[f"{token}Validity"], properties["TokenValidityUnits"][token])
        for token in ("AccessToken", "IdToken", "RefreshToken")
    }
    assert lifetimes == {
        "AccessToken": (15, "minutes"),
        "IdToken": (15, "minutes"),
        "RefreshToken": (30, "days"),
    }
    assert properties["EnableTokenRevocation"] is True


def test_the_pool_offers_authenticator_app_mfa_to_whoever_turns_it_on() -> None:
    pool = deployed(BOOTSTRAP, "UserPool", Stage="prod")
    assert pool is not None
    assert (pool["MfaConfiguration"], pool["EnabledMfas"]) == ("OPTIONAL", ["SOFTWARE_TOKEN_MFA"])


# ---------------------------------------------------------------- hosted UI and callbacks
@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_without_the_hosted_ui_there_is_no_domain_and_no_oauth_redirect(stage: str) -> None:
    properties = client(Stage=stage)
    assert deployed(BOOTSTRAP, "UserPoolDomain", Stage=stage) is None
    hosted_ui_url = BOOTSTRAP["Outputs"]["HostedUiUrl"]
    assert not scope(BOOTSTRAP, Stage=stage).condition(hosted_ui_url["Condition"])
    assert properties["AllowedOAuthFlowsUserPoolClient"] is False
    assert not {"CallbackURLs", "LogoutURLs", "AllowedOAuthFlows"} & set(properties)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_hosted_ui_redirects_only_to_the_site_by_default(stage: str) -> None:
    properties = client(Stage=stage, HostedUi="enabled")
    assert deployed(BOOTSTRAP, "UserPoolDomain", Stage=stage, HostedUi="enabled") is not None
    assert properties["CallbackURLs"] == [SITE]
    assert properties["LogoutURLs"] == [SITE]


def test_an_empty_extra_callback_parameter_adds_no_empty_url() -> None:
    # CloudFormation passes an empty CommaDelimitedList as one empty string.
    properties = client(HostedUi="enabled", ExtraCallbackUrls=[""])
    assert properties["CallbackURLs"] == [SITE]
    assert "" not in properties["LogoutURLs"]


def test_extra_callback_urls_follow_the_site() -> None:
    extra = ["https://shop.example.com/", "https://www.example.com/"]
    properties = client(HostedUi="enabled", ExtraCallbackUrls=extra)
    assert properties["CallbackURLs"] == [SITE, *extra]


@pytest.mark.parametrize(
    "url", ["http://localhost:8000/", "http://127.0.0.1/", "http://shop.example.com/"]
)
def test_no_stage_accepts_a_plain_http_or_localhost_callback(url: str) -> None:
    assert not accepts(BOOTSTRAP, "ExtraCallbackUrls", url)
    assert not accepts(BOOTSTRAP, "ExtraCallbackUrls", f"https://shop.example.com/,{url}")
    assert accepts(BOOTSTRAP, "ExtraCallbackUrls", "https://shop.example.com/")


# ---------------------------------------------------------------- e-mail
def test_cognito_sends_its_own_mail_unless_an_ses_identity_is_given() -> None:
    default = deployed(BOOTSTRAP, "UserPool")
    with_ses = deployed(
        BOOTSTRAP, "UserPool", SesSourceArn=SES_IDENTITY, SesFromAddress="no-reply@example.com"
    )
    assert default is not None
    assert with_ses is not None
    assert default["EmailConfiguration"] == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert with_ses["EmailConfiguration"] == {
        "EmailSendingAccount": "DEVELOPER",
        "SourceArn": SES_IDENTITY,
        "From": "no-reply@example.com",
    }


def test_the_ses_identity_must_be_an_ses_identity_arn() -> None:
    assert accepts(BOOTSTRAP, "SesSourceArn", SES_IDENTITY)
    assert not accepts(BOOTSTRAP, "SesSourceArn", "arn:aws:s3:::bucket")


# ---------------------------------------------------------------- Content-Security-Policy
def csp_directives(**parameters: Any) -> dict[str, list[str]]:
    policy = deployed(BOOTSTRAP, "SecurityHeadersPolicy", **parameters)
    assert policy is not None
    text = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    directives = [part.split() for part in text["ContentSecurityPolicy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def test_connect_src_names_the_exact_api_and_cognito_origins() -> None:
    connect = csp_directives(ApiOrigin=API_ORIGIN)["connect-src"]
    assert connect[:3] == ["'self'", API_ORIGIN, f"https://cognito-idp.{REGION}.amazonaws.com"]
    # Besides them, only the product images bucket (the admin's uploads), by its own name.
    assert connect[3:] == [f"https://productimagesbucket.s3.{REGION}.amazonaws.com"]


def test_no_source_of_the_policy_is_a_wildcard() -> None:
    directives = csp_directives(ApiOrigin=API_ORIGIN)
    assert [source for sources in directives.values() for source in sources if "*" in source] == []


@pytest.mark.parametrize(
    "origin",
    [
        "https://*.execute-api.eu-west-1.amazonaws.com",
        f"{API_ORIGIN}/dev",
        "http://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
        f"{API_ORIGIN} https://evil.example.com",
    ],
)
def test_the_api_origin_parameter_takes_one_https_origin_only(origin: str) -> None:
    assert not accepts(BOOTSTRAP, "ApiOrigin", origin)


def test_before_the_api_exists_the_site_may_call_no_api() -> None:
    connect = csp_directives()["connect-src"]
    assert connect[:2] == ["'self'", f"https://cognito-idp.{REGION}.amazonaws.com"]
    assert [source for source in connect if "execute-api" in source] == []


# ---------------------------------------------------------------- WAF
@pytest.mark.parametrize(
    ("stage", "web_acl", "protected"),
    [
        ("prod", "by-stage", True),
        ("dev", "by-stage", False),
        ("dev", "on", True),
        ("prod", "off", False),
    ],
)
def test_the_web_acl_is_on_by_default_in_prod_only(
    stage: str, web_acl: str, protected: bool
) -> None:
    parameters = {"Stage": stage, "WebAcl": web_acl}
    acl = deployed(API, "ApiWebAcl", **parameters)
    association = deployed(API, "ApiWebAclAssociation", **parameters)
    assert (acl is not None, association is not None) == (protected, protected)


def test_the_web_acl_limits_each_client_ip_and_applies_awss_common_rules() -> None:
    acl = deployed(API, "ApiWebAcl", Stage="prod", WafRequestsPerIpPer5Minutes=500)
    assert acl is not None
    statements = {rule["Name"]: rule["Statement"] for rule in acl["Rules"]}
    assert statements["rate-per-ip"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": 500,
    }
    managed = {
        statement["ManagedRuleGroupStatement"]["Name"]
        for statement in statements.values()
        if "ManagedRuleGroupStatement" in statement
    }
    assert "AWSManagedRulesCommonRuleSet" in managed
    assert (acl["Scope"], acl["DefaultAction"]) == ("REGIONAL", {"Allow": {}})


def test_a_request_over_the_rate_gets_429_as_over_the_stage_throttle() -> None:
    acl = deployed(API, "ApiWebAcl", Stage="prod")
    assert acl is not None
    [rate] = [rule for rule in acl["Rules"] if "RateBasedStatement" in rule["Statement"]]
    assert rate["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429


def test_the_web_acl_guards_this_apis_stage() -> None:
    association = deployed(API, "ApiWebAclAssociation", Stage="prod")
    assert association is not None
    assert association["WebACLArn"] == "ApiWebAcl.Arn"
    assert association["ResourceArn"] == (
        f"arn:aws:apigateway:{REGION}::/restapis/ShopApi-id/stages/ShopApi.Stage"
    )


# ---------------------------------------------------------------- custom domains and TLS
SITE_DOMAIN = {"WebDomainName": "shop.example.com", "WebHostedZoneId": "Z0123456789ABC"}
API_DOMAIN = {"ApiDomainName": "api.shop.example.com", "ApiHostedZoneId": "Z0123456789ABC"}
WEB_CERTIFICATE = (
    "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
)
DOMAIN_RESOURCES = {
    "bootstrap": (BOOTSTRAP, ("WebCertificate", "WebDomainRecordA", "WebDomainRecordAAAA")),
    "api": (
        API,
        (
            "ApiCertificate",
            "ApiDomain",
            "ApiBasePathMapping",
            "ApiDomainRecordA",
            "ApiDomainRecordAAAA",
        ),
    ),
}


def output(template: dict[str, Any], name: str, **parameters: Any) -> Any:
    return resolve(template["Outputs"][name]["Value"], scope(template, **parameters))


@pytest.mark.parametrize("stack", DOMAIN_RESOURCES)
def test_without_a_domain_no_certificate_domain_or_record_is_made(stack: str) -> None:
    template, logical_ids = DOMAIN_RESOURCES[stack]
    assert [deployed(template, logical_id) for logical_id in logical_ids] == [None] * len(
        logical_ids
    )


def test_without_a_domain_the_site_keeps_cloudfronts_domain_and_certificate() -> None:
    distribution = deployed(BOOTSTRAP, "WebDistribution")
    assert distribution is not None
    config = distribution["DistributionConfig"]
    assert config["Aliases"] == []
    assert config["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}
    assert output(BOOTSTRAP, "WebOrigin") == SITE.rstrip("/")
    assert output(API, "ApiUrl").startswith("https://ShopApi-id.execute-api.")


def test_the_sites_domain_gets_a_dns_validated_certificate_tls_and_alias_records() -> None:
    distribution = deployed(BOOTSTRAP, "WebDistribution", **SITE_DOMAIN)
    certificate = deployed(BOOTSTRAP, "WebCertificate", **SITE_DOMAIN)
    records = [
        deployed(BOOTSTRAP, f"WebDomainRecord{kind}", **SITE_DOMAIN) for kind in ("A", "AAAA")
    ]
    assert distribution is not None
    assert certificate is not None
    assert None not in records
    config = distribution["DistributionConfig"]
    assert config["Aliases"] == ["shop.example.com"]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": "WebCertificate-id",
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    assert certificate["ValidationMethod"] == "DNS"
    assert certificate["DomainValidationOptions"] == [
        {"DomainName": "shop.example.com", "HostedZoneId": "Z0123456789ABC"}
    ]
    assert {(r["Type"], r["AliasTarget"]["HostedZoneId"]) for r in records if r} == {
        ("A", "Z2FDTNDATAQYW2"),
        ("AAAA", "Z2FDTNDATAQYW2"),
    }
    assert output(BOOTSTRAP, "WebOrigin", **SITE_DOMAIN) == "https://shop.example.com"


def test_an_existing_certificate_is_used_and_none_is_requested() -> None:
    parameters = {**SITE_DOMAIN, "WebCertificateArn": WEB_CERTIFICATE}
    distribution = deployed(BOOTSTRAP, "WebDistribution", **parameters)
    assert distribution is not None
    viewer = distribution["DistributionConfig"]["ViewerCertificate"]
    assert viewer["AcmCertificateArn"] == WEB_CERTIFICATE
    assert deployed(BOOTSTRAP, "WebCertificate", **parameters) is None


def test_the_sites_certificate_must_be_in_us_east_1_where_cloudfront_reads_it() -> None:
    assert accepts(BOOTSTRAP, "WebCertificateArn", WEB_CERTIFICATE)
    assert not accepts(
        BOOTSTRAP, "WebCertificateArn", WEB_CERTIFICATE.replace("us-east-1", "eu-west-1")
    )
    [_zone, region] = BOOTSTRAP["Rules"]["WebCertificateRequest"]["Assertions"]
    assert region["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}


def test_the_apis_domain_is_regional_tls_1_2_mapped_to_the_stage_with_alias_records() -> None:
    domain = deployed(API, "ApiDomain", **API_DOMAIN)
    # SAM's stage of the API, which `Ref ShopApi.Stage` names.
    mapping = deployed(API, "ApiBasePathMapping", **API_DOMAIN, **{"ShopApi.Stage": "dev"})
    records = [deployed(API, f"ApiDomainRecord{kind}", **API_DOMAIN) for kind in ("A", "AAAA")]
    assert domain is not None
    assert mapping is not None
    assert None not in records
    assert domain["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert (domain["SecurityPolicy"], domain["RegionalCertificateArn"]) == (
        "TLS_1_2",
        "ApiCertificate-id",
    )
    assert (mapping["RestApiId"], mapping["Stage"]) == ("ShopApi-id", "dev")
    assert {(r["Type"], r["AliasTarget"]["HostedZoneId"]) for r in records if r} == {
        ("A", "ApiDomain.RegionalHostedZoneId"),
        ("AAAA", "ApiDomain.RegionalHostedZoneId"),
    }
    assert output(API, "ApiUrl", **API_DOMAIN) == "https://api.shop.example.com"
