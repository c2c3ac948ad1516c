<?xml version="1.0"?>
<!-- SPDX-License-Identifier: GPL-2.0-or-later -->
<!--
  mkman.xsl - an OCF resource agent's meta-data to a man(7) page, ocf_PROVIDER_AGENT(7).

  Straight to roff: NAME, SYNOPSIS (the pcs resource create line and the
  agent's own command line), DESCRIPTION (longdesc), SUPPORTED PARAMETERS
  (shortdesc, longdesc, type, default, required / reloadable / unique-group),
  SUPPORTED ACTIONS (timeout, interval, depth, role), EXAMPLE (a complete
  pcs resource create with every advertised monitor), SEE ALSO.

  Stylesheet parameters (xsltproc stringparam): provider, version, date,
  ocfroot (the agents' installed OCF root).

  Text from the meta-data is escaped for roff: backslashes become \e, a line
  starting with "." or "'" gets a leading \&, blank lines become paragraph
  breaks.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:strip-space elements="*"/>

<xsl:param name="provider" select="'mailha'"/>
<xsl:param name="version" select="''"/>
<xsl:param name="date" select="''"/>
<xsl:param name="ocfroot" select="'/usr/lib/ocf'"/>

<xsl:variable name="nl" select="'&#10;'"/>
<xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
<xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>

<!-- replace - every FROM in TEXT becomes TO -->
<xsl:template name="replace">
  <xsl:param name="text"/>
  <xsl:param name="from"/>
  <xsl:param name="to"/>
  <xsl:choose>
    <xsl:when test="contains($text, $from)">
      <xsl:value-of select="substring-before($text, $from)"/>
      <xsl:value-of select="$to"/>
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="substring-after($text, $from)"/>
        <xsl:with-param name="from" select="$from"/>
        <xsl:with-param name="to" select="$to"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise>
      <xsl:value-of select="$text"/>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- esc - one piece of inline text, safe for roff -->
<xsl:template name="esc">
  <xsl:param name="text"/>
  <xsl:call-template name="replace">
    <xsl:with-param name="text" select="$text"/>
    <xsl:with-param name="from" select="'\'"/>
    <xsl:with-param name="to" select="'\e'"/>
  </xsl:call-template>
</xsl:template>

<!-- line - one text line: escaped, protected when it starts like a request -->
<xsl:template name="line">
  <xsl:param name="text"/>
  <xsl:if test="starts-with($text, '.') or starts-with($text, &quot;'&quot;)">
    <xsl:text>\&amp;</xsl:text>
  </xsl:if>
  <xsl:call-template name="esc">
    <xsl:with-param name="text" select="$text"/>
  </xsl:call-template>
  <xsl:value-of select="$nl"/>
</xsl:template>

<!-- prose - multi-line text: lines trimmed, blank lines to .PP (once) -->
<xsl:template name="prose">
  <xsl:param name="text"/>
  <xsl:param name="started" select="false()"/>
  <xsl:param name="blank" select="false()"/>
  <xsl:param name="para" select="'.PP'"/>
  <xsl:variable name="head">
    <xsl:choose>
      <xsl:when test="contains($text, $nl)">
        <xsl:value-of select="normalize-space(substring-before($text, $nl))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space($text)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:choose>
    <xsl:when test="$head = ''">
      <xsl:if test="contains($text, $nl)">
        <xsl:call-template name="prose">
          <xsl:with-param name="text" select="substring-after($text, $nl)"/>
          <xsl:with-param name="started" select="$started"/>
          <xsl:with-param name="blank" select="$started"/>
          <xsl:with-param name="para" select="$para"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:when>
    <xsl:otherwise>
      <xsl:if test="$blank">
        <xsl:value-of select="concat($para, $nl)"/>
      </xsl:if>
      <xsl:call-template name="line">
        <xsl:with-param name="text" select="$head"/>
      </xsl:call-template>
      <xsl:if test="contains($text, $nl)">
        <xsl:call-template name="prose">
          <xsl:with-param name="text" select="substring-after($text, $nl)"/>
          <xsl:with-param name="started" select="true()"/>
          <xsl:with-param name="para" select="$para"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- desc - the English (or else the first) description among NODES -->
<xsl:template name="desc">
  <xsl:param name="nodes"/>
  <xsl:choose>
    <xsl:when test="$nodes[@lang = 'en']">
      <xsl:value-of select="$nodes[@lang = 'en'][1]"/>
    </xsl:when>
    <xsl:otherwise>
      <xsl:value-of select="$nodes[1]"/>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- opline - one "op ACTION k=v ..." of the example, continued with \ -->
<xsl:template name="opline">
  <xsl:param name="a"/>
  <xsl:text>    op </xsl:text>
  <xsl:value-of select="$a/@name"/>
  <xsl:if test="$a/@interval">
    <xsl:text> interval=</xsl:text>
    <xsl:value-of select="$a/@interval"/>
  </xsl:if>
  <xsl:text> timeout=</xsl:text>
  <xsl:value-of select="$a/@timeout"/>
  <xsl:if test="$a/@role">
    <xsl:text> role=</xsl:text>
    <xsl:value-of select="$a/@role"/>
  </xsl:if>
  <xsl:if test="$a/@depth and $a/@depth != '0'">
    <xsl:text> OCF_CHECK_LEVEL=</xsl:text>
    <xsl:value-of select="$a/@depth"/>
  </xsl:if>
</xsl:template>

<xsl:template match="/resource-agent">
  <xsl:variable name="agent" select="@name"/>
  <xsl:variable name="page" select="concat('ocf_', $provider, '_', $agent)"/>
  <xsl:variable name="short">
    <xsl:call-template name="desc">
      <xsl:with-param name="nodes" select="shortdesc"/>
    </xsl:call-template>
  </xsl:variable>

  <xsl:text>.\" Generated by tools/mkman.sh from the meta-data of ocf:</xsl:text>
  <xsl:value-of select="concat($provider, ':', $agent)"/>
  <xsl:text>; do not edit.&#10;</xsl:text>
  <xsl:value-of select="concat('.TH ', translate($page, $lower, $upper), ' 7 &quot;', $date,
                               '&quot; &quot;', $provider, ' ', $version,
                               '&quot; &quot;OCF resource agents&quot;&#10;')"/>

  <xsl:text>.SH NAME&#10;</xsl:text>
  <xsl:call-template name="esc">
    <xsl:with-param name="text" select="$page"/>
  </xsl:call-template>
  <xsl:text> \- </xsl:text>
  <xsl:call-template name="esc">
    <xsl:with-param name="text" select="normalize-space($short)"/>
  </xsl:call-template>
  <xsl:value-of select="$nl"/>

  <xsl:text>.SH SYNOPSIS&#10;.nh&#10;.ad l&#10;</xsl:text>
  <xsl:text>.B pcs resource create&#10;</xsl:text>
  <xsl:text>.I name&#10;</xsl:text>
  <xsl:value-of select="concat('.B ocf:', $provider, ':', $agent, $nl)"/>
  <xsl:for-each select="parameters/parameter[@required = '1']">
    <xsl:value-of select="concat('\fB', @name, '\fR=\fIvalue\fR', $nl)"/>
  </xsl:for-each>
  <xsl:text>[\fIparameter\fR=\fIvalue\fR ...]&#10;</xsl:text>
  <xsl:text>[\fBop\fR \fIaction\fR \fIattribute\fR=\fIvalue\fR ...]&#10;</xsl:text>
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:value-of select="concat('.B ', $ocfroot, '/resource.d/', $provider, '/', $agent, $nl)"/>
  <xsl:text>\%{</xsl:text>
  <xsl:for-each select="actions/action[not(@name = preceding-sibling::action/@name)]">
    <xsl:if test="position() > 1">
      <xsl:text>|</xsl:text>
    </xsl:if>
    <xsl:value-of select="@name"/>
  </xsl:for-each>
  <xsl:text>}&#10;.ad&#10;.hy&#10;</xsl:text>

  <xsl:text>.SH DESCRIPTION&#10;</xsl:text>
  <xsl:call-template name="prose">
    <xsl:with-param name="text">
      <xsl:call-template name="desc">
        <xsl:with-param name="nodes" select="longdesc"/>
      </xsl:call-template>
    </xsl:with-param>
  </xsl:call-template>

  <xsl:text>.SH SUPPORTED PARAMETERS&#10;</xsl:text>
  <xsl:for-each select="parameters/parameter">
    <xsl:text>.TP&#10;</xsl:text>
    <xsl:variable name="pshort">
      <xsl:call-template name="desc">
        <xsl:with-param name="nodes" select="shortdesc"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="concat('\fB', @name, '\fR \- ')"/>
    <xsl:call-template name="esc">
      <xsl:with-param name="text" select="normalize-space($pshort)"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:text>.IP&#10;</xsl:text>
    <xsl:call-template name="prose">
      <xsl:with-param name="para" select="'.IP'"/>
      <xsl:with-param name="text">
        <xsl:call-template name="desc">
          <xsl:with-param name="nodes" select="longdesc"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:text>.IP&#10;</xsl:text>
    <xsl:text>Type: </xsl:text>
    <xsl:value-of select="content/@type"/>
    <xsl:if test="content/option">
      <xsl:text> (</xsl:text>
      <xsl:for-each select="content/option">
        <xsl:if test="position() > 1">
          <xsl:text>, </xsl:text>
        </xsl:if>
        <xsl:call-template name="esc">
          <xsl:with-param name="text" select="@value"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:text>; default: </xsl:text>
    <xsl:choose>
      <xsl:when test="not(content/@default)">
        <xsl:text>none</xsl:text>
      </xsl:when>
      <xsl:when test="content/@default = ''">
        <xsl:text>empty</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>\fB</xsl:text>
        <xsl:call-template name="esc">
          <xsl:with-param name="text" select="content/@default"/>
        </xsl:call-template>
        <xsl:text>\fR</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@required = '1'">
      <xsl:text>; required</xsl:text>
    </xsl:if>
    <xsl:if test="@reloadable = '1'">
      <xsl:text>; reloadable (a change is applied by reload-agent, without a restart)</xsl:text>
    </xsl:if>
    <xsl:if test="@unique-group">
      <xsl:text>; unique group </xsl:text>
      <xsl:call-template name="esc">
        <xsl:with-param name="text" select="@unique-group"/>
      </xsl:call-template>
      <xsl:text> (no two resources may share these values)</xsl:text>
    </xsl:if>
    <xsl:if test="@unique = '1' and not(@unique-group)">
      <xsl:text>; unique</xsl:text>
    </xsl:if>
    <xsl:text>.&#10;</xsl:text>
    <xsl:if test="deprecated">
      <xsl:text>Deprecated</xsl:text>
      <xsl:for-each select="deprecated/replaced-with">
        <xsl:value-of select="concat('; use \fB', @name, '\fR')"/>
      </xsl:for-each>
      <xsl:text>.&#10;</xsl:text>
    </xsl:if>
  </xsl:for-each>

  <xsl:text>.SH SUPPORTED ACTIONS&#10;</xsl:text>
  <xsl:for-each select="actions/action">
    <xsl:text>.TP&#10;</xsl:text>
    <xsl:value-of select="concat('.B ', @name, $nl)"/>
    <xsl:value-of select="concat('timeout ', @timeout)"/>
    <xsl:if test="@interval">
      <xsl:value-of select="concat(', interval ', @interval)"/>
    </xsl:if>
    <xsl:if test="@depth">
      <xsl:value-of select="concat(', depth ', @depth, ' (OCF_CHECK_LEVEL=', @depth, ')')"/>
    </xsl:if>
    <xsl:if test="@role">
      <xsl:value-of select="concat(', role ', @role)"/>
    </xsl:if>
    <xsl:if test="@start-delay">
      <xsl:value-of select="concat(', start-delay ', @start-delay)"/>
    </xsl:if>
    <xsl:value-of select="$nl"/>
  </xsl:for-each>

  <xsl:text>.SH EXAMPLE&#10;</xsl:text>
  <xsl:text>Create the resource with its advertised monitors:&#10;</xsl:text>
  <xsl:text>.PP&#10;.RS 4&#10;.nf&#10;</xsl:text>
  <xsl:value-of select="concat('pcs resource create ', $agent, ' ocf:', $provider, ':', $agent)"/>
  <xsl:for-each select="parameters/parameter[@required = '1']">
    <xsl:value-of select="concat(' ', @name, '=')"/>
    <xsl:choose>
      <xsl:when test="content/option">
        <xsl:value-of select="content/option[1]/@value"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>VALUE</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:for-each>
  <xsl:for-each select="actions/action[@name = 'monitor']">
    <xsl:text> \e&#10;</xsl:text>
    <xsl:call-template name="opline">
      <xsl:with-param name="a" select="."/>
    </xsl:call-template>
  </xsl:for-each>
  <xsl:text>&#10;.fi&#10;.RE&#10;</xsl:text>
  <xsl:if test="parameters/parameter[@required = '1']">
    <xsl:text>.PP&#10;Replace each VALUE with this cluster's setting.&#10;</xsl:text>
  </xsl:if>
  <xsl:text>.PP&#10;Show the agent's parameters on a node where it is installed:&#10;</xsl:text>
  <xsl:text>.PP&#10;.RS 4&#10;.nf&#10;</xsl:text>
  <xsl:value-of select="concat('pcs resource describe ocf:', $provider, ':', $agent, $nl)"/>
  <xsl:text>.fi&#10;.RE&#10;</xsl:text>

  <xsl:text>.SH SEE ALSO&#10;</xsl:text>
  <xsl:text>.BR pcs (8),&#10;.BR crm_resource (8),&#10;.BR ocf-tester (8),&#10;</xsl:text>
  <xsl:text>the mailha administration guide,&#10;</xsl:text>
  <xsl:value-of select="concat('.I /usr/share/doc/', $provider, '/admin-guide.md', $nl)"/>
</xsl:template>

</xsl:stylesheet>
