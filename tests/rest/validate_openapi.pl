#!/usr/bin/perl
# Validates an OpenAPI 3 document against the OpenAPI 3.0 schema with JSON::Validator (Debian's
# libjson-validator-perl, which ships that schema: nothing is downloaded).
#
#   validate_openapi.pl FILE     exit 0 when valid; 1 with the errors listed; 2 when
#                                JSON::Validator is missing or the file is not OpenAPI 3
use strict;
use warnings;

my $file = shift or die "usage: validate_openapi.pl FILE\n";
unless (eval { require JSON::Validator; 1 }) {
  print "JSON::Validator is not installed (Debian: libjson-validator-perl)\n";
  exit 2;
}
my $schema = JSON::Validator->new->schema($file)->schema;
unless ($schema->isa('JSON::Validator::Schema::OpenAPIv3')) {
  print "$file is not an OpenAPI 3 document (read as " . ref($schema) . ")\n";
  exit 2;
}
my @errors = @{$schema->errors};
print "$_\n" for @errors;
exit(@errors ? 1 : 0);
